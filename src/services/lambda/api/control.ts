/**
 * Lambda's control plane beyond code and configuration updates: CreateFunction, DeleteFunction, versions and
 * aliases, resource policies (AddPermission), tags, code signing (none). What the function registry does not hold
 * (role, tags, policy statements, published versions, aliases) lives in {@link LambdaControl}, in memory and, when
 * it has records, stored whole per function after every operation (before it answers).
 *
 * Published versions are snapshots of the function's code and configuration, and run as such; aliases point at
 * one (./versions.ts). The resource policy is stored, not enforced.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AwsError, type OperationRegistry } from '../../../protocols/index.js';
import type { RecordCollection, Records } from '../../../store/records.js';
import type { FunctionSpec } from '../../cloudformation/types.js';
import { CodeError } from '../functions/code.js';
import type { FunctionCode } from '../functions/registry.js';
import type { PublishedFunctions } from '../runtime-types.js';
import {
  CodeSourceError,
  configurationOf,
  functionArn,
  invalidParameter,
  type LambdaApiDeps,
  requireFunction,
  resolveFunction,
} from './deps.js';
import { publishVersion, qualifiedConfiguration, versionOperations } from './versions.js';

export interface Alias {
  Name: string;
  FunctionVersion: string;
  Description: string;
  RevisionId: string;
  /** `AdditionalVersionWeights`: the share of invocations a second version takes (drawn per invocation). */
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export interface Extra {
  role: string;
  /** As created (the local runtime runs on this machine's architecture whatever is asked). */
  architectures?: string[];
  tags: Record<string, string>;
  statements: Record<string, unknown>[];
  /** The published versions' configurations, oldest first. */
  versions: FunctionConfiguration[];
  /** What each published version runs: the function's code and configuration when it was published. */
  specs: Map<string, FunctionSpec>;
  /** The last version number given (numbers are never reused, even after a version is deleted). */
  lastVersion: number;
  aliases: Map<string, Alias>;
}

/**
/**
 * The state Lambda's API keeps beside the registry; `onFunctionsChanged` tells the runtime about created and deleted
 * functions, `onPublished` about published versions and aliases. With `records`, each function's state (versions
 * with the snapshots they run included) is read back at construction and stored by {@link commit}.
 */
export class LambdaControl {
  readonly #extra = new Map<string, Extra>();
  readonly #records: RecordCollection<Extra> | undefined;

  /**
   * @param random a number in [0, 1) for an alias's weighted routing (RoutingConfig), drawn per invocation;
   *   `Math.random` unless a test gives one.
   */
  constructor(
    readonly onFunctionsChanged: () => void = () => {},
    records?: Records,
    readonly onPublished: (published: PublishedFunctions) => void = () => {},
    readonly random: () => number = Math.random,
  ) {
    this.#records = records?.collection<Extra>('lambda', 'control');
    for (const [name, e] of this.#records?.all() ?? []) {
      // Records written before versions ran hold no snapshots: those versions stay listed but do not run.
      e.specs ??= new Map();
      e.lastVersion ??= Math.max(0, ...e.versions.map((v) => Number(v.Version) || 0));
      this.#extra.set(name, e);
    }
    if (this.#extra.size > 0) this.publishedChanged();
  }

  /** Stores every function's state that changed since the last commit (one transaction). */
  commit(): void {
    this.#records?.sync(this.#extra);
  }

  of(name: string): Extra {
    let e = this.#extra.get(name);
    if (!e) {
      e = {
        role: '',
        tags: {},
        statements: [],
        versions: [],
        specs: new Map(),
        lastVersion: 0,
        aliases: new Map(),
      };
      this.#extra.set(name, e);
    }
    return e;
  }

  /** Every function's published versions and aliases. */
  published(): PublishedFunctions {
    const entries = [...this.#extra];
    return {
      versions: new Map(
        entries.map(([name, e]) => [name, [...e.specs].map(([version, spec]) => ({ version, spec }))]),
      ),
      aliases: new Map(
        entries.map(([name, e]) => [
          name,
          new Map([...e.aliases.values()].map((a) => [a.Name, () => routed(a, this.random)])),
        ]),
      ),
    };
  }

  /** Tells the runtime what is published now. */
  publishedChanged(): void {
    this.onPublished(this.published());
  }

  /**
   * The version a qualifier (version number or alias) runs, or undefined when the function has no such one. An
   * alias with RoutingConfig sends each invocation to one of its versions by weight.
   */
  resolve(
    name: string,
    qualifier: string,
    latestRuntime: string,
  ): { version: string; runtime: string } | undefined {
    const e = this.#extra.get(name);
    const numbered = /^\d+$/.test(qualifier);
    const alias = numbered ? undefined : e?.aliases.get(qualifier);
    const version = numbered ? qualifier : alias && routed(alias, this.random);
    if (version === '$LATEST') return { version, runtime: latestRuntime };
    const spec = version === undefined ? undefined : e?.specs.get(version);
    return spec && version !== undefined ? { version, runtime: spec.runtime } : undefined;
  }

  forget(name: string): void {
    this.#extra.delete(name);
  }
}

/**
 * The version an alias sends one invocation to: an additional version takes its weight's share of invocations
 * (`random()` below the weight), the alias's FunctionVersion the rest.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
 */
export function routed(alias: Alias, random: () => number): string {
  let r = random();
  for (const [version, weight] of Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})) {
    if (r < weight) return version;
    r -= weight;
  }
  return alias.FunctionVersion;
}

const RUNTIMES = /^(nodejs(18|20|22|24)\.x|python3\.\d+|provided(\.al2|\.al2023)?)$/;
const user = (code: string, message: string, status: number) =>
  new AwsError(code, message, status, { Type: 'User' });

async function packageOf(d: LambdaApiDeps, code: Record<string, unknown> | undefined): Promise<Uint8Array> {
  if (code?.ZipFile !== undefined) {
    const raw = code.ZipFile as unknown;
    return typeof raw === 'string' ? Buffer.from(raw, 'base64') : (raw as Uint8Array);
  }
  if (typeof code?.S3Bucket === 'string' && typeof code.S3Key === 'string') {
    try {
      return await d.codeSource(code.S3Bucket, code.S3Key, code.S3ObjectVersion as string | undefined);
    } catch (e) {
      if (!(e instanceof CodeSourceError)) throw e;
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: ${e.code}. S3 Error Message: ${e.message}`,
      );
    }
  }
  if (code?.ImageUri !== undefined) {
    throw invalidParameter(
      'Please provide a valid Zip file: container images are not supported by the local cloud.',
    );
  }
  throw invalidParameter('Please provide a source for function code.');
}

/** CreateFunction's request as the local cloud reads it (the model's members it uses). */
export interface CreateFunctionInput {
  FunctionName?: string;
  PackageType?: string;
  Runtime?: string;
  Handler?: string;
  Role?: string;
  Timeout?: number;
  MemorySize?: number;
  Description?: string;
  Environment?: { Variables?: Record<string, string> };
  Architectures?: string[];
  Tags?: Record<string, string>;
}

/** CreateFunction's checks of the request, before its code is read (AWS's messages). */
export function createChecks(
  d: Pick<LambdaApiDeps, 'registry'>,
  i: CreateFunctionInput,
  o: { anyRuntime?: boolean } = {},
): void {
  const name = i.FunctionName as string;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw invalidParameter(`Function name ${name} is not valid: 1 to 64 of a-z, A-Z, 0-9, - and _.`);
  }
  if (d.registry.get(name)) throw user('ResourceConflictException', `Function already exist: ${name}`, 409);
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(i.Role ?? '')) {
    throw invalidParameter(`The role defined for the function cannot be assumed by Lambda.`);
  }
  configChecks(i, o);
}

/**
 * The configuration checks CreateFunction makes (a stack's deploy of a function makes them too). `anyRuntime`: a
 * stack's function may name a runtime the local cloud cannot run; it is deployed, and its invocations say so.
 */
export function configChecks(i: CreateFunctionInput, o: { anyRuntime?: boolean } = {}): void {
  if ((i.PackageType ?? 'Zip') !== 'Zip') throw invalidParameter('Only Zip packages are supported locally.');
  if (o.anyRuntime ? !i.Runtime : !RUNTIMES.test(i.Runtime ?? '')) {
    throw invalidParameter(`The runtime parameter of ${i.Runtime ?? 'null'} is not supported locally.`);
  }
  if (!i.Handler) throw invalidParameter('Handler is required for Zip functions.');
  const timeout = i.Timeout ?? 3;
  const memory = i.MemorySize ?? 128;
  if (timeout < 1 || timeout > 900) throw invalidParameter('Timeout must be between 1 and 900 seconds.');
  if (memory < 128 || memory > 10240) throw invalidParameter('MemorySize must be between 128 and 10240 MB.');
}

/** The registry's spec of a function, from CreateFunction's (or a stack's) members. */
export function functionSpec(
  d: Pick<LambdaApiDeps, 'region' | 'accountId'>,
  name: string,
  i: CreateFunctionInput,
): Omit<FunctionSpec, 'codeDir'> {
  return {
    logicalId: name,
    name,
    arn: `arn:aws:lambda:${d.region}:${d.accountId}:function:${name}`,
    handler: i.Handler as string,
    runtime: i.Runtime as string,
    timeout: i.Timeout ?? 3,
    memorySize: i.MemorySize ?? 128,
    environment: { ...(i.Environment?.Variables ?? {}) },
  };
}

/**
 * CreateFunction once its request passed {@link createChecks} and its code was read: the function is in the
 * registry (stored) with its role, architectures and tags, and the runtime is told. CloudFormation's
 * AWS::Lambda::Function creates through this too (../internal.ts), with code already unpacked in a directory.
 */
export function createFunction(
  d: Pick<LambdaApiDeps, 'registry' | 'region' | 'accountId'>,
  c: LambdaControl,
  i: CreateFunctionInput,
  code: FunctionCode,
): void {
  const name = i.FunctionName as string;
  try {
    d.registry.create(functionSpec(d, name, i), code, i.Description ?? '');
  } catch (e) {
    if (e instanceof CodeError) throw invalidParameter(e.message);
    throw e;
  }
  const extra = c.of(name);
  extra.role = i.Role as string;
  if (i.Architectures !== undefined) extra.architectures = [...i.Architectures];
  extra.tags = { ...(i.Tags ?? {}) };
  c.onFunctionsChanged();
}

const policyDocument = (statements: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });

/** The extra operations, and the reads of the base registry wrapped to carry Role and Tags. */
export function lambdaControlOperations(
  d: LambdaApiDeps,
  c: LambdaControl,
  base: OperationRegistry,
): OperationRegistry {
  const config = (name: string): FunctionConfiguration =>
    withRole(configurationOf(d, requireFunction(d, name)));
  const withRole = (cfg: FunctionConfiguration): FunctionConfiguration => {
    const e = c.of(cfg.FunctionName as string);
    return {
      ...cfg,
      ...(e.role ? { Role: e.role } : {}),
      ...(e.architectures
        ? { Architectures: e.architectures as FunctionConfiguration['Architectures'] }
        : {}),
    };
  };
  const nameOf = (functionName: string) => requireFunction(d, functionName).spec.name;
  const byArn = (arn: string) => {
    const m = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([A-Za-z0-9_-]+)$/.exec(arn);
    if (!m) throw invalidParameter(`Invalid resource ARN: ${arn}`);
    return nameOf(m[1] as string);
  };
  const call = (op: string, input: unknown, ctx: unknown) =>
    (base[op] as (i: unknown, c: unknown) => Promise<Record<string, unknown>>)(input, ctx);

  /** A read with a version or alias qualifier: that version's configuration (./versions.ts); else undefined. */
  const qualified = (i: { FunctionName: string; Qualifier?: string }) => {
    const { f, qualifier } = resolveFunction(d, i.FunctionName, i.Qualifier);
    const name = f.spec.name;
    if (qualifier === undefined || qualifier === '$LATEST') return { name, configuration: undefined };
    return { name, configuration: qualifiedConfiguration(d, c, name, qualifier, config) };
  };

  return {
    GetFunction: async (i, ctx) => {
      const { name, configuration } = qualified(i);
      const out = await call('GetFunction', { FunctionName: name }, ctx);
      const tags = c.of(name).tags;
      return {
        ...out,
        Configuration: configuration ?? withRole(out.Configuration as FunctionConfiguration),
        ...(Object.keys(tags).length ? { Tags: { ...tags } } : {}),
      };
    },
    GetFunctionConfiguration: async (i, ctx) =>
      qualified(i).configuration ?? withRole((await call('GetFunctionConfiguration', i, ctx)) as never),
    UpdateFunctionConfiguration: async (i, ctx) => {
      const out = (await call('UpdateFunctionConfiguration', i, ctx)) as FunctionConfiguration;
      if (typeof i.Role === 'string') c.of(out.FunctionName as string).role = i.Role;
      return withRole(out);
    },
    UpdateFunctionCode: async (i, ctx) => withRole((await call('UpdateFunctionCode', i, ctx)) as never),
    ListFunctions: async (i, ctx) => {
      const out = await call('ListFunctions', i, ctx);
      return { ...out, Functions: (out.Functions as FunctionConfiguration[]).map(withRole) };
    },

    CreateFunction: async (i) => {
      createChecks(d, i);
      const zip = await packageOf(d, i.Code);
      createFunction(d, c, i, zip);
      const out = config(i.FunctionName as string);
      return i.Publish ? publishVersion(d, c, i.FunctionName as string, out) : out;
    },
    DeleteFunction: async (i) => {
      const name = nameOf(i.FunctionName);
      if (i.Qualifier !== undefined && i.Qualifier !== '$LATEST') {
        const e = c.of(name);
        e.versions = e.versions.filter((v) => v.Version !== i.Qualifier);
        e.specs.delete(i.Qualifier);
        c.publishedChanged();
        return {};
      }
      d.registry.delete(name);
      c.forget(name);
      c.onFunctionsChanged();
      c.publishedChanged();
      return {};
    },
    GetFunctionCodeSigningConfig: async (i) => {
      const name = nameOf(i.FunctionName);
      return { FunctionName: name, CodeSigningConfigArn: '' };
    },
    ...versionOperations(d, c, nameOf, config),

    AddPermission: async (i) => {
      const name = nameOf(i.FunctionName);
      const e = c.of(name);
      if (e.statements.some((s) => s.Sid === i.StatementId)) {
        throw user(
          'ResourceConflictException',
          `The statement id (${i.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          409,
        );
      }
      const principal = /^[0-9]{12}$/.test(i.Principal)
        ? { AWS: `arn:aws:iam::${i.Principal}:root` }
        : i.Principal === '*'
          ? '*'
          : { Service: i.Principal };
      const condition: Record<string, Record<string, string>> = {};
      if (i.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': i.SourceArn };
      if (i.SourceAccount !== undefined) condition.StringEquals = { 'AWS:SourceAccount': i.SourceAccount };
      const statement = {
        Sid: i.StatementId,
        Effect: 'Allow',
        Principal: principal,
        Action: i.Action,
        Resource: functionArn(d, name) + (i.Qualifier ? `:${i.Qualifier}` : ''),
        ...(Object.keys(condition).length ? { Condition: condition } : {}),
      };
      e.statements.push(statement);
      return { Statement: JSON.stringify(statement) };
    },
    RemovePermission: async (i) => {
      const name = nameOf(i.FunctionName);
      const e = c.of(name);
      const before = e.statements.length;
      e.statements = e.statements.filter((s) => s.Sid !== i.StatementId);
      if (e.statements.length === before) {
        throw user('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
      }
      return {};
    },
    GetPolicy: async (i) => {
      const name = nameOf(i.FunctionName);
      const e = c.of(name);
      if (e.statements.length === 0) {
        throw user('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
      }
      return { Policy: policyDocument(e.statements), RevisionId: requireFunction(d, name).revisionId };
    },

    TagResource: async (i) => {
      const e = c.of(byArn(i.Resource));
      e.tags = { ...e.tags, ...i.Tags };
      return {};
    },
    UntagResource: async (i) => {
      const e = c.of(byArn(i.Resource));
      e.tags = Object.fromEntries(
        Object.entries(e.tags).filter(([k]) => !(i.TagKeys as string[]).includes(k)),
      );
      return {};
    },
    ListTags: async (i) => ({ Tags: { ...c.of(byArn(i.Resource)).tags } }),
  };
}
