/**
 * What the engine does to a template before it creates anything: parse it, resolve its parameters (SSM-typed ones
 * from Parameter Store), replace Fn::ImportValue with the exporting stack's value and a custom resource's
 * Fn::GetAtt with its response Data, check its Rules, and resolve its Outputs.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
 */
import { AwsError } from '../../../protocols/index.js';
import { Resolver } from '../intrinsics.js';
import { type CfnTemplate, isRecord } from '../template.js';
import type { Output, ResourceState } from './types.js';
import { parseYamlTemplate } from './yaml.js';

export type Parameter = { key: string; value: string; resolved?: string };

const invalid = (message: string) => new AwsError('ValidationError', message);

/** The template body as an object; CloudFormation's own wording for what is not a template. */
export function parseTemplateBody(body: string): CfnTemplate {
  let t: unknown;
  const json = body.trimStart().startsWith('{');
  try {
    t = json ? JSON.parse(body) : parseYamlTemplate(body);
  } catch {
    throw invalid(
      json ? 'Template format error: JSON not well-formed.' : 'Template format error: YAML not well-formed.',
    );
  }
  if (!isRecord(t)) throw invalid('Template format error: JSON not well-formed.');
  if (t.Resources === undefined)
    throw invalid('Template format error: At least one Resources member must be defined.');
  if (!isRecord(t.Resources)) throw invalid('Template format error: Resources must be an object');
  for (const [id, r] of Object.entries(t.Resources)) {
    if (!isRecord(r) || typeof r.Type !== 'string') {
      throw invalid(
        `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`,
      );
    }
  }
  return t as unknown as CfnTemplate;
}

const SSM_TYPE = /^AWS::SSM::Parameter::Value<.+>$/;

/**
 * The stack's parameter values: given, else the previous value (UsePreviousValue), else the Default. SSM-typed
 * parameters are read from Parameter Store now, as CloudFormation does at each deployment.
 */
export function resolveParameters(
  template: CfnTemplate,
  given: readonly { ParameterKey?: string; ParameterValue?: string; UsePreviousValue?: boolean }[],
  previous: readonly Parameter[],
  ssmValue: (name: string) => string | undefined,
): Parameter[] {
  const declared = template.Parameters ?? {};
  const unknown = given.map((g) => g.ParameterKey ?? '').filter((k) => !Object.hasOwn(declared, k));
  if (unknown.length) throw invalid(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const out: Parameter[] = [];
  const missing: string[] = [];
  for (const [key, decl] of Object.entries(declared)) {
    const g = given.find((x) => x.ParameterKey === key);
    let value: string | undefined;
    if (g?.UsePreviousValue) {
      value = previous.find((p) => p.key === key)?.value;
      if (value === undefined)
        throw invalid(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
    } else if (g?.ParameterValue !== undefined) value = g.ParameterValue;
    else if (decl.Default !== undefined)
      value = Array.isArray(decl.Default) ? decl.Default.join(',') : String(decl.Default);
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    const p: Parameter = { key, value };
    if (typeof decl.Type === 'string' && SSM_TYPE.test(decl.Type)) {
      const v = ssmValue(value);
      if (v === undefined)
        throw invalid(`Unable to fetch parameters [${value}] from parameter store for this account.`);
      p.resolved = v;
    }
    out.push(p);
  }
  if (missing.length) throw invalid(`Parameters: [${missing.join(', ')}] must have values`);
  return out;
}

export const parameterValues = (params: readonly Parameter[]): Record<string, string> =>
  Object.fromEntries(params.map((p) => [p.key, p.resolved ?? p.value]));

/** Exports of every live stack: name → value and exporting stack. */
export type Exports = ReadonlyMap<string, { value: string; stackName: string }>;

const isCustom = (type: string) =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/**
 * A copy of the template with Fn::ImportValue replaced by the export's value and Fn::GetAtt of custom resources by
 * the Data their handler returned (the local Resolver knows neither).
 */
export function prepareTemplate(
  template: CfnTemplate,
  o: { stackName: string; region: string; accountId: string; parameters: Record<string, string> },
  exports: Exports,
  resources: Readonly<Record<string, ResourceState>>,
): CfnTemplate {
  const resolver = new Resolver(template, o);
  const walk = (v: unknown, where: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, where));
    if (!isRecord(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue') {
      const name = resolver.resolve(walk(v['Fn::ImportValue'], where), where);
      const exp = typeof name === 'string' ? exports.get(name) : undefined;
      if (!exp) throw invalid(`No export named ${String(name)} found. Rollback requested by user.`);
      return exp.value;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const arg = v['Fn::GetAtt'];
      const [id, attr] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg : [];
      const res = typeof id === 'string' ? template.Resources[id] : undefined;
      if (res && isCustom(res.Type) && typeof attr === 'string') {
        const known = resources[id as string]?.attributes[attr];
        if (known !== undefined) return known;
      }
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, where)]));
  };
  return walk(template, 'template') as CfnTemplate;
}

/** Evaluates the template's Rules; a failed assertion is the ValidationError CloudFormation gives (its description). */
export function checkRules(template: CfnTemplate, resolver: Resolver): void {
  const rules = (template as { Rules?: Record<string, unknown> }).Rules ?? {};
  const val = (x: unknown, where: string) => resolver.resolve(x, where);
  const evaluate = (x: unknown, where: string): boolean => {
    if (isRecord(x) && Object.keys(x).length === 1) {
      const [fn] = Object.keys(x) as [string];
      const arg = x[fn];
      const args = Array.isArray(arg) ? arg : [arg];
      switch (fn) {
        case 'Fn::Not':
          return !evaluate(args[0], where);
        case 'Fn::And':
          return args.every((a) => evaluate(a, where));
        case 'Fn::Or':
          return args.some((a) => evaluate(a, where));
        case 'Fn::Equals':
          return String(val(args[0], where)) === String(val(args[1], where));
        case 'Fn::Contains': {
          const list = val(args[0], where);
          return Array.isArray(list) && list.map(String).includes(String(val(args[1], where)));
        }
        case 'Fn::EachMemberEquals': {
          const list = val(args[0], where);
          return Array.isArray(list) && list.every((m) => String(m) === String(val(args[1], where)));
        }
        case 'Fn::EachMemberIn': {
          const [a, b] = [val(args[0], where), val(args[1], where)];
          return Array.isArray(a) && Array.isArray(b) && a.every((m) => b.map(String).includes(String(m)));
        }
        case 'Condition':
          return resolver.condition(String(arg), where);
      }
    }
    const v = val(x, where);
    return v === true || v === 'true';
  };
  for (const [name, rule] of Object.entries(rules)) {
    if (!isRecord(rule)) continue;
    if (rule.RuleCondition !== undefined && !evaluate(rule.RuleCondition, `Rule ${name}`)) continue;
    for (const a of Array.isArray(rule.Assertions) ? rule.Assertions : []) {
      if (!isRecord(a)) continue;
      if (!evaluate(a.Assert, `Rule ${name}`)) {
        throw invalid(
          typeof a.AssertDescription === 'string'
            ? a.AssertDescription
            : `Template error: rule ${name} failed`,
        );
      }
    }
  }
}

/** The template's Outputs, resolved; `localize` maps AWS URLs (execute-api, Hosted UI) to their local counterparts. */
export function resolveOutputs(
  template: CfnTemplate,
  resolver: Resolver,
  localize: (v: string) => string,
): Output[] {
  return Object.entries(template.Outputs ?? {}).flatMap(([key, out]) => {
    if (out.Condition !== undefined && !resolver.condition(out.Condition, `Output ${key}`)) return [];
    const value = resolver.resolve(out.Value, `Output ${key}`);
    const o = out as { Description?: unknown; Export?: { Name?: unknown } };
    const exportName =
      o.Export?.Name === undefined ? undefined : resolver.resolve(o.Export.Name, `Output ${key}`);
    return [
      {
        key,
        value: localize(typeof value === 'string' ? value : JSON.stringify(value)),
        ...(typeof o.Description === 'string' ? { description: o.Description } : {}),
        ...(exportName !== undefined ? { exportName: String(exportName) } : {}),
      },
    ];
  });
}
