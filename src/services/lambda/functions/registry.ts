import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';
import type { FunctionOverrideRecord, LambdaStore } from '../../../store/lambda.js';
import type { RecordCollection } from '../../../store/records.js';
import type { FunctionSpec } from '../../cloudformation/types.js';
import { hashDirectory, type InstalledCode, installZip } from './code.js';

/** A function's code: a deployment package (zip), or a directory it is already unpacked in (a CDK asset). */
export type FunctionCode = Uint8Array | { dir: string };

/** The configuration members UpdateFunctionConfiguration can change locally. */
export interface ConfigPatch {
  Environment?: Record<string, string>;
  MemorySize?: number;
  Timeout?: number;
  Handler?: string;
  Description?: string;
  Runtime?: string;
}

/** A function as Lambda's API reports it. */
export interface FunctionState {
  /** What runs now: the stack's function with its code and configuration updates. */
  spec: FunctionSpec;
  description: string;
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
  state: 'Active';
  lastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
}

export interface FunctionRegistryOptions {
  functions: readonly FunctionSpec[];
  store: LambdaStore;
  /** Where uploaded code is unzipped (`<dataDir>/lambda/code`). */
  codeRoot: string;
  clock: Clock;
  /** This start deployed the stack (it synthesized): updates made before are dropped, as `cdk deploy` would. */
  freshDeploy: boolean;
  /** Called when a function's running code or configuration changes (the runtime swaps it). */
  onChange(spec: FunctionSpec): void;
}

/** Lambda's LastModified: `2026-01-01T12:00:00.000+0000`. */
const lambdaTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/**
 * The functions the Lambda API sees and changes. An update is written to the store (and its code unzipped) before
 * it is acknowledged, and reported `InProgress`; the running function is swapped on the next turn of the event loop,
 * then reported `Successful`, so the CLI's and SDK's `function-updated` waiters see the transition they poll for.
 *
 * Updates survive restarts. They are dropped when the stack is deployed again: at a start that synthesizes, or when
 * the stack's code for the function changed (another cdk.out), as a CloudFormation deploy puts the template's
 * code and configuration back.
 */
export class FunctionRegistry {
  readonly #o: FunctionRegistryOptions;
  readonly #functions = new Map<string, FunctionState>();
  /** The stack's own definitions, and the updates made to them since. */
  #deployed = new Map<string, FunctionSpec>();
  readonly #overrides = new Map<string, FunctionOverrideRecord>();
  /** Functions made through the API (CreateFunction), as created; their updates are overrides like the stack's. */
  readonly #created: RecordCollection<FunctionSpec>;

  constructor(o: FunctionRegistryOptions) {
    this.#o = o;
    this.#created = o.store.records.collection<FunctionSpec>('lambda', 'function');
    this.#load(o.functions, o.freshDeploy);
  }

  get(name: string): FunctionState | undefined {
    return this.#functions.get(name);
  }

  /** By name, in code-unit order: a function name is ASCII, and localeCompare would page in ICU's collation data. */
  list(): FunctionState[] {
    return [...this.#functions.values()].sort((a, b) =>
      a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0,
    );
  }

  /** The specs to run: every function with its updates. */
  specs(): FunctionSpec[] {
    return this.list().map((f) => f.spec);
  }

  /**
   * A new deploy of the stack. Fresh (`--watch`, a new synth, `cdk deploy`): the template's code and configuration
   * replace every update. Not fresh (the stacks served again at a restart with `--no-synth`): an update stays while
   * the stack still deploys the asset it was made over.
   */
  redeploy(functions: readonly FunctionSpec[], fresh = true): FunctionSpec[] {
    this.#functions.clear();
    this.#load(functions, fresh);
    return this.specs();
  }

  /** UpdateFunctionCode: installs the package (throws CodeError for a bad one), persists, swaps. */
  updateCode(name: string, zip: Uint8Array): FunctionState {
    const f = this.#require(name);
    const code = installZip(zip, this.#o.codeRoot, name);
    return this.#commit(f, { codeDir: code.dir, codeSha256: code.sha256, codeSize: code.size });
  }

  /** UpdateFunctionConfiguration: persists the changed members, swaps. */
  updateConfig(name: string, patch: ConfigPatch): FunctionState {
    const f = this.#require(name);
    const current = this.#override(f)?.config ?? {};
    return this.#commit(f, { config: { ...current, ...patch } });
  }

  /**
   * CreateFunction: installs the package (throws CodeError for a bad one) and adds the function, Active at once.
   * The function and its code location are stored (one transaction) before this returns; it survives restarts and
   * redeploys of the stacks, until DeleteFunction. The caller tells the runtime (it runs `specs()`).
   */
  create(spec: Omit<FunctionSpec, 'codeDir'>, zip: FunctionCode, description: string): FunctionState {
    if (this.#functions.has(spec.name)) throw new Error(`function ${spec.name} exists`);
    const code = this.#install(spec.name, zip);
    const full: FunctionSpec = { ...spec, codeDir: code.dir };
    this.#deployed.set(spec.name, full);
    const record: FunctionOverrideRecord = {
      name: spec.name,
      baseAsset: code.dir,
      codeDir: code.dir,
      codeSha256: code.sha256,
      codeSize: code.size,
      config: description ? { Description: description } : {},
      lastModified: lambdaTime(this.#o.clock.now()),
      revisionId: randomUUID(),
    };
    this.#o.store.records.transaction(() => {
      this.#created.put(spec.name, full);
      this.#o.store.put(record);
    });
    this.#overrides.set(spec.name, record);
    const state = this.#state(full, record, 'Successful');
    this.#functions.set(spec.name, state);
    return { ...state };
  }

  /**
   * A deploy of a function by its stack (CloudFormation's update of AWS::Lambda::Function): the stack's definition
   * replaces the one it was created with, and its configuration replaces the updates made through the API. The code
   * is replaced only when `code` is given: a change set that leaves Code alone keeps the code of a
   * `cdk deploy --hotswap`, as in AWS. Stored before it returns; the running function is swapped at once.
   */
  deploy(
    spec: Omit<FunctionSpec, 'codeDir'>,
    code: FunctionCode | undefined,
    description: string,
  ): FunctionState {
    const f = this.#require(spec.name);
    const before = this.#override(f);
    const installed = code === undefined ? undefined : this.#install(spec.name, code);
    const base: FunctionSpec = {
      ...spec,
      codeDir: installed?.dir ?? (this.#deployed.get(spec.name) as FunctionSpec).codeDir,
    };
    const record: FunctionOverrideRecord = {
      name: spec.name,
      baseAsset: base.codeDir,
      codeDir: installed?.dir ?? before?.codeDir,
      codeSha256: installed?.sha256 ?? before?.codeSha256,
      codeSize: installed?.size ?? before?.codeSize,
      config: { Description: description },
      lastModified: lambdaTime(this.#o.clock.now()),
      revisionId: randomUUID(),
    };
    this.#o.store.records.transaction(() => {
      this.#created.put(spec.name, base);
      this.#o.store.put(record);
    });
    this.#deployed.set(spec.name, base);
    this.#overrides.set(spec.name, record);
    const state = this.#state(base, record, 'Successful');
    this.#functions.set(spec.name, state);
    this.#o.onChange(state.spec);
    return { ...state };
  }

  /**
   * Puts back the code and configuration the function was last deployed with, dropping the updates made through
   * the API since (`npm start` after a new synth: a fresh deploy of its stack). The deployed code must be a
   * directory (a CDK asset, inline code); a function with no such updates is left as it is.
   */
  resetUpdates(name: string): boolean {
    const f = this.#functions.get(name);
    const base = this.#deployed.get(name);
    const o = f && this.#override(f);
    if (!f || !base || !o) return false;
    const configChanged = Object.keys(o.config).some((k) => k !== 'Description');
    if (o.codeDir === base.codeDir && !configChanged) return false;
    const { codeDir, ...spec } = base;
    this.deploy(spec, { dir: codeDir }, typeof o.config.Description === 'string' ? o.config.Description : '');
    return true;
  }

  #install(name: string, code: FunctionCode): InstalledCode {
    if (code instanceof Uint8Array) return installZip(code, this.#o.codeRoot, name);
    return { dir: code.dir, ...hashDirectory(code.dir) };
  }

  /** DeleteFunction: the function is gone from the API at once; the caller tells the runtime. */
  delete(name: string): boolean {
    this.#deployed.delete(name);
    this.#overrides.delete(name);
    this.#o.store.records.transaction(() => {
      this.#o.store.delete(name);
      this.#created.delete(name);
    });
    return this.#functions.delete(name);
  }

  #require(name: string): FunctionState {
    const f = this.#functions.get(name);
    if (f === undefined) throw new Error(`no function ${name}`);
    return f;
  }

  #override(f: FunctionState): FunctionOverrideRecord | undefined {
    return this.#overrides.get(f.spec.name);
  }

  #commit(
    f: FunctionState,
    change: Partial<Pick<FunctionOverrideRecord, 'codeDir' | 'codeSha256' | 'codeSize' | 'config'>>,
  ): FunctionState {
    const name = f.spec.name;
    const base = this.#deployed.get(name) as FunctionSpec;
    const before = this.#override(f);
    const record: FunctionOverrideRecord = {
      name,
      baseAsset: base.codeDir,
      codeDir: before?.codeDir,
      codeSha256: before?.codeSha256,
      codeSize: before?.codeSize,
      config: before?.config ?? {},
      ...change,
      lastModified: lambdaTime(this.#o.clock.now()),
      revisionId: randomUUID(),
    };
    this.#o.store.put(record);
    this.#overrides.set(name, record);
    const next = this.#state(base, record, 'InProgress');
    this.#functions.set(name, next);
    setImmediate(() => {
      if (this.#functions.get(name) !== next) return;
      this.#o.onChange(next.spec);
      next.lastUpdateStatus = 'Successful';
    });
    return { ...next };
  }

  #load(functions: readonly FunctionSpec[], freshDeploy: boolean): void {
    const stored = new Map(this.#o.store.all().map((r) => [r.name, r]));
    this.#deployed = new Map(functions.map((f) => [f.name, f]));
    this.#overrides.clear();
    for (const spec of functions) {
      let record = stored.get(spec.name);
      if (record !== undefined && (freshDeploy || record.baseAsset !== spec.codeDir)) {
        this.#o.store.delete(spec.name);
        record = undefined;
      }
      if (record !== undefined) this.#overrides.set(spec.name, record);
      this.#functions.set(spec.name, this.#state(spec, record, 'Successful'));
    }
    // Functions made through the API are not the stacks': no deploy replaces them (a stack's function of the same
    // name takes its place while it exists).
    for (const [name, spec] of this.#created.all()) {
      if (this.#deployed.has(name)) continue;
      const record = stored.get(name);
      this.#deployed.set(name, spec);
      if (record !== undefined) this.#overrides.set(name, record);
      this.#functions.set(name, this.#state(spec, record, 'Successful'));
    }
  }

  #state(
    base: FunctionSpec,
    o: FunctionOverrideRecord | undefined,
    status: 'Successful' | 'InProgress',
  ): FunctionState {
    const c = (o?.config ?? {}) as ConfigPatch;
    const spec: FunctionSpec = {
      ...base,
      ...(o?.codeDir !== undefined ? { codeDir: o.codeDir } : {}),
      ...(c.Environment !== undefined ? { environment: c.Environment } : {}),
      ...(c.MemorySize !== undefined ? { memorySize: c.MemorySize } : {}),
      ...(c.Timeout !== undefined ? { timeout: c.Timeout } : {}),
      ...(c.Handler !== undefined ? { handler: c.Handler } : {}),
      ...(c.Runtime !== undefined ? { runtime: c.Runtime } : {}),
    };
    const hashed = o?.codeSha256 === undefined ? hashDirectory(spec.codeDir) : undefined;
    const previous = this.#functions.get(base.name);
    return {
      spec,
      description: c.Description ?? '',
      codeSha256: o?.codeSha256 ?? hashed?.sha256 ?? '',
      codeSize: o?.codeSize ?? hashed?.size ?? 0,
      lastModified: o?.lastModified ?? previous?.lastModified ?? lambdaTime(this.#o.clock.now()),
      revisionId: o?.revisionId ?? previous?.revisionId ?? randomUUID(),
      state: 'Active',
      lastUpdateStatus: status,
    };
  }
}
