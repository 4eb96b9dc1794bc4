/**
 * The dependency order of a template's resources: Ref, Fn::GetAtt, the `${X}` references of Fn::Sub and DependsOn.
 * CloudFormation creates a resource after everything it depends on and deletes in the reverse order.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */
import { TemplateError } from '../errors.js';
import { type CfnTemplate, isRecord } from '../template.js';

/** The logical ids of the resources `value` refers to (other names, such as parameters, are left out). */
export function referencedResources(
  value: unknown,
  resources: ReadonlySet<string>,
  out = new Set<string>(),
): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedResources(v, resources, out);
    return out;
  }
  if (!isRecord(value)) return out;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = value[fn];
    if (fn === 'Ref' && typeof arg === 'string') {
      if (resources.has(arg)) out.add(arg);
      return out;
    }
    if (fn === 'Fn::GetAtt') {
      const target = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined;
      if (typeof target === 'string' && resources.has(target)) out.add(target);
      if (Array.isArray(arg)) referencedResources(arg.slice(1), resources, out);
      return out;
    }
    if (fn === 'Fn::Sub') {
      const [text, vars] =
        typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? [arg[0], arg[1]] : ['', {}];
      const local = new Set(isRecord(vars) ? Object.keys(vars) : []);
      for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = (m[1] as string).split('.')[0] as string;
        if (!local.has(name) && resources.has(name)) out.add(name);
      }
      referencedResources(vars, resources, out);
      return out;
    }
  }
  for (const v of Object.values(value)) referencedResources(v, resources, out);
  return out;
}

/** Each resource's direct dependencies (resources of the same template only). */
export function dependencies(template: CfnTemplate): Map<string, Set<string>> {
  const ids = new Set(Object.keys(template.Resources));
  const deps = new Map<string, Set<string>>();
  for (const [id, res] of Object.entries(template.Resources)) {
    const d = referencedResources(res.Properties ?? {}, ids);
    const dependsOn = (res as { DependsOn?: unknown }).DependsOn;
    for (const x of typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : []) {
      if (typeof x !== 'string' || !ids.has(x)) {
        throw new TemplateError(
          `Template format error: Unresolved resource dependencies [${String(x)}] in the Resources block of the template`,
          id,
        );
      }
      d.add(x);
    }
    d.delete(id);
    deps.set(id, d);
  }
  return deps;
}

/** Resources in creation order (dependencies first); a cycle is a template error naming the resources in it. */
export function creationOrder(template: CfnTemplate): string[] {
  const deps = dependencies(template);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = path.slice(path.indexOf(id));
      throw new TemplateError(`Circular dependency between resources: [${cycle.join(', ')}]`, id);
    }
    state.set(id, 'visiting');
    for (const d of [...(deps.get(id) ?? [])].sort()) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(template.Resources)) visit(id, []);
  return order;
}
