/**
 * Resolution of the CloudFormation intrinsic functions CDK emits, against deterministic local physical ids.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { createHash } from 'node:crypto';
import { TemplateError } from './errors.js';
import { attributeValue, physicalId } from './returnValues.js';
import {
  type CfnResource,
  type CfnTemplate,
  isRecord,
  NO_VALUE,
  partitionOf,
  type ResolverOptions,
  unresolved,
} from './template.js';

export type { CfnParameter, CfnResource, CfnTemplate, ResolverOptions } from './template.js';
export { assertResolved, NO_VALUE, UNRESOLVED_PREFIX } from './template.js';

/**
 * Resolves intrinsics for one template. Ref and Fn::GetAtt give the deterministic local physical ids, so the
 * same template always resolves to the same values. `where` arguments name the resource (or output or
 * condition) being resolved, for error messages.
 */
export class Resolver {
  readonly partition: string;
  readonly urlSuffix: string;
  private readonly resolvedProps = new Map<string, Record<string, unknown>>();
  private readonly resolving = new Set<string>();
  private readonly conditions = new Map<string, boolean>();
  private readonly evaluatingConditions = new Set<string>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly opts: ResolverOptions,
  ) {
    ({ partition: this.partition, urlSuffix: this.urlSuffix } = partitionOf(opts.region));
  }

  get stackName(): string {
    return this.opts.stackName;
  }

  get region(): string {
    return this.opts.region;
  }

  get accountId(): string {
    return this.opts.accountId;
  }

  /** The resource, or undefined when the template has no such logical id. */
  resource(logicalId: string): CfnResource | undefined {
    return Object.hasOwn(this.template.Resources, logicalId) ? this.template.Resources[logicalId] : undefined;
  }

  /** False when the resource carries a `Condition` that evaluates to false (CloudFormation does not create it). */
  isActive(logicalId: string): boolean {
    const condition = this.resource(logicalId)?.Condition;
    return condition === undefined ? true : this.condition(condition, logicalId);
  }

  /** The resource's Properties with every intrinsic resolved (cached; cycles are reported). */
  properties(logicalId: string): Record<string, unknown> {
    const cached = this.resolvedProps.get(logicalId);
    if (cached) return cached;
    const res = this.requireResource(logicalId, logicalId);
    if (this.resolving.has(logicalId)) {
      throw new TemplateError(
        `Resource ${logicalId} (${res.Type}): circular reference through ${[...this.resolving].join(' -> ')}`,
        logicalId,
      );
    }
    this.resolving.add(logicalId);
    try {
      const props = this.resolve(res.Properties ?? {}, logicalId);
      const out = isRecord(props) ? props : {};
      this.resolvedProps.set(logicalId, out);
      return out;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  /**
   * One resolved property of a resource. Ref and GetAtt use this rather than {@link properties}, so a name
   * is available even when another property of the same resource could not be resolved locally.
   */
  property(logicalId: string, key: string): unknown {
    const res = this.requireResource(logicalId, logicalId);
    const cached = this.resolvedProps.get(logicalId);
    if (cached) return cached[key];
    const guard = `${logicalId}.${key}`;
    if (this.resolving.has(guard) || this.resolving.has(logicalId)) {
      throw new TemplateError(
        `Resource ${logicalId} (${res.Type}): circular reference through ${[...this.resolving, guard].join(' -> ')}`,
        logicalId,
      );
    }
    this.resolving.add(guard);
    try {
      return this.resolve(res.Properties?.[key], logicalId);
    } finally {
      this.resolving.delete(guard);
    }
  }

  /** Resolves every intrinsic in `value`. `Ref: AWS::NoValue` at the top gives undefined. */
  resolve(value: unknown, where: string): unknown {
    const v = this.resolveValue(value, where);
    return v === NO_VALUE ? undefined : v;
  }

  /** Evaluates a named condition of the template's Conditions section. */
  condition(name: string, where: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const conditions = this.template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) {
      throw new TemplateError(`${this.at(where)}: condition ${name} is not defined in Conditions`, where);
    }
    if (this.evaluatingConditions.has(name)) {
      throw new TemplateError(`Condition ${name} refers to itself`, `Conditions.${name}`);
    }
    this.evaluatingConditions.add(name);
    try {
      const result = this.evaluateCondition(conditions[name], `Conditions.${name}`);
      this.conditions.set(name, result);
      return result;
    } finally {
      this.evaluatingConditions.delete(name);
    }
  }

  /**
   * `Ref` of a resource: its physical id, as CloudFormation documents each type's Ref return value.
   * Types the local cloud does not model get a CloudFormation-style generated name.
   */
  ref(logicalId: string, where: string): string {
    return physicalId(this, this.requireResource(logicalId, where), logicalId);
  }

  /**
   * `Fn::GetAtt` of a resource. The attributes the local cloud can know are computed; an attribute that only
   * exists in AWS resolves to an unresolved placeholder (see {@link assertResolved}).
   */
  attribute(logicalId: string, attribute: string, where: string): unknown {
    return attributeValue(this, this.requireResource(logicalId, where), logicalId, attribute);
  }

  /** `Resource X (Type)`, `Output X`, `Condition X`: how errors name the place being resolved. */
  at(where: string): string {
    const type = this.resource(where)?.Type;
    return type ? `Resource ${where} (${type})` : describeWhere(where);
  }

  private requireResource(logicalId: string, where: string): CfnResource {
    const res = this.resource(logicalId);
    if (!res || typeof res !== 'object' || typeof res.Type !== 'string') {
      throw new TemplateError(
        `${this.at(where)}: refers to ${logicalId}, which is not in the template`,
        where,
      );
    }
    if (!this.isActive(logicalId)) {
      throw new TemplateError(
        `${this.at(where)}: refers to ${logicalId}, whose condition ${res.Condition} is false`,
        where,
      );
    }
    return res;
  }

  private pseudo(name: string, where: string): unknown {
    const { stackName, region, accountId } = this.opts;
    switch (name) {
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::Region':
        return region;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return this.urlSuffix;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::StackId': {
        // A stable UUID-shaped id: real stacks get a random one.
        const h = createHash('sha256').update(`${accountId}/${region}/${stackName}`).digest('hex');
        const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
        return `arn:${this.partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${uuid}`;
      }
      default:
        throw new TemplateError(`${this.at(where)}: unknown pseudo parameter ${name}`, where);
    }
  }

  private parameter(name: string, where: string): unknown {
    const param = this.template.Parameters?.[name] ?? {};
    const type = typeof param.Type === 'string' ? param.Type : 'String';
    const given = this.opts.parameters?.[name];
    if (given === undefined && type.startsWith('AWS::SSM::Parameter::Value<')) {
      // The value lives in the account's SSM Parameter Store; CDK's BootstrapVersion is one of these.
      return unresolved(`parameter ${name} (SSM)`);
    }
    const value = given ?? param.Default;
    if (value === undefined) {
      throw new TemplateError(
        `${this.at(where)}: parameter ${name} has no Default and no value was given`,
        where,
      );
    }
    const text = Array.isArray(value) ? value.join(',') : String(value);
    return type.startsWith('List<') || type === 'CommaDelimitedList' ? text.split(',') : text;
  }

  private refOf(name: string, where: string): unknown {
    if (name.startsWith('AWS::')) return this.pseudo(name, where);
    if (this.template.Parameters && Object.hasOwn(this.template.Parameters, name)) {
      return this.parameter(name, where);
    }
    return this.ref(name, where);
  }

  private resolveValue(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolveValue(v, where)).filter((v) => v !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    const fn = keys.length === 1 ? (keys[0] as string) : undefined;
    if (fn === 'Ref' || fn?.startsWith('Fn::')) return this.intrinsic(fn, value[fn], where);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.resolveValue(value[k], where);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, where: string): unknown {
    const fail = (why: string): never => {
      throw new TemplateError(`${this.at(where)}: ${fn} ${why}`, where);
    };
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') fail('needs a logical id or parameter name');
        return this.refOf(arg as string, where);
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? splitOnce(arg, '.') : this.resolveValue(arg, where);
        if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) {
          return fail('needs [logicalId, attribute]');
        }
        return this.attribute(parts[0] as string, parts[1] as string, where);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('needs [delimiter, list]');
        const delimiter = this.resolveValue(arg[0], where);
        const list = this.resolveValue(arg[1], where);
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return fail('needs [delimiter, list]');
        return list.map((item) => this.scalar(item, fn, where)).join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(arg, where);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('needs [index, list]');
        const index = Number(this.resolveValue(arg[0], where));
        const list = this.resolveValue(arg[1], where);
        if (!Array.isArray(list)) return fail('needs a list');
        if (!Number.isInteger(index) || index < 0 || index >= list.length) {
          return fail(`index ${String(arg[0])} is out of range for a list of ${list.length}`);
        }
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('needs [delimiter, string]');
        const delimiter = this.resolveValue(arg[0], where);
        const source = this.resolveValue(arg[1], where);
        if (typeof delimiter !== 'string' || delimiter === '' || typeof source !== 'string') {
          return fail('needs [delimiter, string]');
        }
        return source.split(delimiter);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
          return fail('needs [condition, valueIfTrue, valueIfFalse]');
        }
        return this.resolveValue(this.condition(arg[0], where) ? arg[1] : arg[2], where);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return fail('needs [map, topKey, secondKey]');
        const [map, top, second] = arg.slice(0, 3).map((a) => this.resolveValue(a, where));
        const hit = this.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        if (hit !== undefined) return hit;
        const dflt = isRecord(arg[3]) ? arg[3].DefaultValue : undefined;
        if (dflt !== undefined) return this.resolveValue(dflt, where);
        return fail(`finds no value at ${String(map)}.${String(top)}.${String(second)}`);
      }
      case 'Fn::Base64': {
        const text = this.resolveValue(arg, where);
        if (typeof text !== 'string') return fail('needs a string');
        return Buffer.from(text, 'utf8').toString('base64');
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg, where));
      case 'Fn::Length': {
        const list = this.resolveValue(arg, where);
        if (!Array.isArray(list)) return fail('needs a list');
        return list.length;
      }
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return this.evaluateCondition({ [fn]: arg }, where);
      case 'Fn::GetAZs':
        return fail('is not supported locally: Availability Zones exist only in an AWS account');
      case 'Fn::ImportValue':
        return fail('is not supported locally: it reads another stack’s exports; deploy a single stack');
      default:
        return fail('is not supported by the local cloud');
    }
  }

  /** `Fn::Sub` in both forms: `"text ${Name}"` and `["text ${Var}", {Var: value}]`. `${!Literal}` stays `${Literal}`. */
  private sub(arg: unknown, where: string): string {
    let template: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || !isRecord(arg[1])) {
        throw new TemplateError(`${this.at(where)}: Fn::Sub needs "string" or [string, {vars}]`, where);
      }
      template = arg[0];
      vars = arg[1];
    }
    if (typeof template !== 'string') {
      throw new TemplateError(`${this.at(where)}: Fn::Sub needs a string`, where);
    }
    return template.replace(/\$\{([^}]*)\}/g, (_match, body: string) => {
      if (body.startsWith('!')) return `\${${body.slice(1)}}`;
      const name = body.trim();
      if (Object.hasOwn(vars, name))
        return this.scalar(this.resolveValue(vars[name], where), 'Fn::Sub', where);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        const value = this.attribute(name.slice(0, dot), name.slice(dot + 1), where);
        return this.scalar(value, 'Fn::Sub', where);
      }
      return this.scalar(this.refOf(name, where), 'Fn::Sub', where);
    });
  }

  private scalar(value: unknown, fn: string, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new TemplateError(`${this.at(where)}: ${fn} can only join strings, got ${describe(value)}`, where);
  }

  private evaluateCondition(expr: unknown, where: string): boolean {
    if (typeof expr === 'boolean') return expr;
    if (typeof expr === 'string' && (expr === 'true' || expr === 'false')) return expr === 'true';
    if (!isRecord(expr) || Object.keys(expr).length !== 1) {
      throw new TemplateError(`${this.at(where)}: a condition must be one condition function`, where);
    }
    const [fn, arg] = Object.entries(expr)[0] as [string, unknown];
    const list = (n?: number): unknown[] => {
      if (!Array.isArray(arg) || (n !== undefined && arg.length !== n)) {
        throw new TemplateError(`${this.at(where)}: ${fn} needs a list`, where);
      }
      return arg;
    };
    switch (fn) {
      case 'Condition':
        if (typeof arg !== 'string')
          throw new TemplateError(`${this.at(where)}: Condition needs a name`, where);
        return this.condition(arg, where);
      case 'Fn::Equals': {
        const [a, b] = list(2).map((v) => this.resolve(v, where));
        return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
      }
      case 'Fn::And':
        return list().every((c) => this.evaluateCondition(c, where));
      case 'Fn::Or':
        return list().some((c) => this.evaluateCondition(c, where));
      case 'Fn::Not':
        return !this.evaluateCondition(list(1)[0], where);
      default:
        throw new TemplateError(`${this.at(where)}: ${fn} is not a condition function`, where);
    }
  }
}

/** CloudFormation compares values as strings: `"1"` equals `1`. */
function normalize(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(normalize);
  return v;
}

function splitOnce(s: string, sep: string): string[] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** `Resource X`, `Output X`, `Condition X`. */
export function describeWhere(where: string): string {
  if (where.startsWith('Outputs.')) return `Output ${where.slice(8)}`;
  if (where.startsWith('Conditions.')) return `Condition ${where.slice(11)}`;
  return `Resource ${where}`;
}
