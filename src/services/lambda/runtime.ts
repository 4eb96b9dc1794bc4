import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../../shared/invoker.js';
import type { FunctionSpec } from '../cloudformation/types.js';
import { Dispatcher } from './dispatcher.js';
import { closed, notFound } from './results.js';
import { processEnvironments } from './runtime-api/process-environment.js';
import type {
  FunctionStats,
  LambdaRuntimeOptions,
  Pending,
  Pool,
  PublishedFunctions,
  RuntimeStats,
} from './runtime-types.js';

/**
 * A function reference as Lambda's Invoke takes it: a name, `name:qualifier`, or a (partial) ARN with an optional
 * qualifier (`arn:aws:lambda:us-east-1:123456789012:function:name:3`, `…:function:name:live`).
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export function parseFunctionRef(ref: string): { name: string; qualifier: string | undefined } {
  const m = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|\d{12}:function:)?([^:]+)(?::([^:]+))?$/.exec(ref);
  return m ? { name: m[1] as string, qualifier: m[2] } : { name: ref, qualifier: undefined };
}

/**
 * Runs functions locally, one execution environment per concurrent invocation, each speaking the Lambda Runtime API
 * (./runtime-api/contract.ts): Node functions in worker threads, Python and `provided` functions in processes that
 * call `AWS_LAMBDA_RUNTIME_API` over HTTP.
 *
 * - An environment has its own globals and environment variables (the template's plus Lambda's) and handles one
 *   invocation at a time; it stays warm for the next one.
 * - Up to `maxConcurrency` environments per function; further invocations wait in a FIFO queue rather than failing
 *   with 429: locally the limit protects a 2-core machine, it is not the account's concurrency quota. The caller's
 *   `timeoutMs` still runs while an invocation waits.
 * - The function's Timeout ends the environment (`Sandbox.Timedout`). A caller timeout shorter than that answers
 *   the caller at once but lets the function run on, as API Gateway does with its integration timeout.
 * - A handler error leaves the environment usable (`Unhandled`); a runtime that exits (uncaught exception, unhandled
 *   rejection, `process.exit()`, out of memory) is replaced (`Crash`).
 * - update() swaps one function's code or configuration: invocations in flight finish on the old code, the next
 *   ones start new environments.
 * - Published versions run in pools of their own, with the code and configuration they were published with
 *   (setPublished); a qualifier (`name:3`, `name:live`, or a qualified ARN) picks the version, an alias names
 *   one, by its RoutingConfig's weights when it has one (an API Gateway integration to an alias ARN, a trigger).
 *
 * Not emulated: freezing between invocations (timers keep running), `callbackWaitsForEmptyEventLoop` (always
 * false), `process.chdir` to the task root in worker threads, the 6 MB request limit, the account's quota.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export class LambdaRuntime implements FunctionInvoker {
  readonly #region: string;
  readonly #accountId: string;
  readonly #idleTimeoutMs: number;
  readonly #dispatcher: Dispatcher;
  /** By key: `NAME` for `$LATEST`, `NAME:VERSION` for a published version. */
  readonly #pools = new Map<string, Pool>();
  /** Per function: alias → the version (or `$LATEST`) an invocation runs. */
  #aliases: PublishedFunctions['aliases'] = new Map();
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(o: LambdaRuntimeOptions) {
    this.#region = o.region;
    this.#accountId = o.accountId;
    const maxConcurrency = o.maxConcurrency ?? 10;
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 5 * 60_000;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new TypeError('LambdaRuntime: maxConcurrency must be an integer of at least 1');
    }
    if (!(this.#idleTimeoutMs > 0)) throw new TypeError('LambdaRuntime: idleTimeoutMs must be positive');
    this.#dispatcher = new Dispatcher({
      region: o.region,
      maxConcurrency,
      log: o.log,
      sink: o.consoleSink ?? ((line, functionName) => o.log.info({ functionName }, line)),
      processes: processEnvironments({ python: o.python ?? 'python3' }),
      ...(o.awsEndpoint !== undefined ? { awsEndpoint: o.awsEndpoint } : {}),
      closed: () => this.#closed,
      pool: (name) => this.#pools.get(name),
    });
    this.#setFunctions(o.functions);
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#idleTimeoutMs, 30_000));
    this.#sweeper.unref();
  }

  /**
   * Invokes a function synchronously (RequestResponse) by name or ARN.
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
   */
  invoke(functionNameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    const { name, qualifier } = parseFunctionRef(functionNameOrArn);
    const key = this.#keyOf(name, qualifier);
    const pool = key === undefined ? undefined : this.#pools.get(key);
    const requestId = randomUUID();
    if (pool === undefined || this.#closed) {
      const arn = `arn:aws:lambda:${this.#region}:${this.#accountId}:function:${name}`;
      return Promise.resolve(notFound(requestId, qualifier === undefined ? arn : `${arn}:${qualifier}`));
    }
    return new Promise<InvokeResult>((resolve) => {
      const p: Pending = {
        requestId,
        event,
        resolve,
        settled: false,
        callerTimer: undefined,
        lines: options?.tail ? [] : undefined,
      };
      const limit = options?.timeoutMs;
      if (limit !== undefined) {
        p.callerTimer = setTimeout(() => this.#dispatcher.callerTimeout(pool, p, limit), Math.max(0, limit));
      }
      this.#dispatcher.dispatch(pool, p);
    });
  }

  /**
   * Replaces the function definitions (for `--watch`). Warm environments are ended, busy ones when they finish, so
   * the next invocation loads the new code. Invocations queued for a function that is gone fail with NotFound.
   */
  reload(functions: readonly FunctionSpec[]): void {
    const next = new Map(functions.map((f) => [f.name, f]));
    for (const [key, pool] of this.#pools) {
      // A function that is gone takes its published versions with it.
      if (!next.has(pool.spec.name) || (pool.version === '$LATEST' && !next.has(key))) this.#drop(key, pool);
    }
    this.#setFunctions(functions);
  }

  /**
   * The published versions and aliases, as Lambda's API holds them now. A version's pool is made once (a version
   * never changes); a version no longer listed (DeleteFunction with a qualifier) is ended like a deleted function.
   */
  setPublished(published: PublishedFunctions): void {
    const keep = new Set<string>();
    for (const [name, versions] of published.versions) {
      if (!this.#pools.has(name)) continue;
      for (const v of versions) {
        const key = `${name}:${v.version}`;
        keep.add(key);
        if (!this.#pools.has(key)) this.#pools.set(key, newPool(key, v.version, v.spec));
      }
    }
    for (const [key, pool] of this.#pools) {
      if (pool.version !== '$LATEST' && !keep.has(key)) this.#drop(key, pool);
    }
    this.#aliases = published.aliases;
  }

  /** Swaps one function's code or configuration (UpdateFunctionCode, UpdateFunctionConfiguration). */
  update(spec: FunctionSpec): void {
    if (!this.#pools.has(spec.name)) throw new TypeError(`LambdaRuntime: no function ${spec.name}`);
    this.#setFunctions([
      ...[...this.#pools.values()]
        .filter((p) => p.version === '$LATEST' && p.spec.name !== spec.name)
        .map((p) => p.spec),
      spec,
    ]);
  }

  /** The pool a qualifier picks: `$LATEST` (none), a version number, or an alias (to a version or `$LATEST`). */
  #keyOf(name: string, qualifier: string | undefined): string | undefined {
    if (qualifier === undefined || qualifier === '$LATEST') return name;
    const version = /^\d+$/.test(qualifier) ? qualifier : this.#aliases.get(name)?.get(qualifier)?.();
    if (version === undefined) return undefined;
    return version === '$LATEST' ? name : `${name}:${version}`;
  }

  /** Takes a pool out of service: queued invocations fail with NotFound, warm environments end. */
  #drop(key: string, pool: Pool): void {
    this.#pools.delete(key);
    pool.generation++;
    for (const p of pool.queue.splice(0)) this.#dispatcher.settle(p, notFound(p.requestId, pool.spec.arn));
    for (const s of pool.idle.splice(0)) this.#dispatcher.kill(s);
  }

  /** Counters since start: invocations, cold starts and their init durations, per function. */
  stats(): RuntimeStats {
    const functions: Record<string, FunctionStats> = {};
    let invocations = 0;
    let coldStarts = 0;
    for (const [name, pool] of this.#pools) {
      let busy = 0;
      for (const s of pool.slots) if (s.state === 'busy' || s.state === 'init') busy++;
      functions[name] = {
        ...pool.stats,
        coldStartMs: [...pool.stats.coldStartMs],
        workers: pool.slots.size,
        busy,
        queued: pool.queue.length,
      };
      invocations += pool.stats.invocations;
      coldStarts += pool.stats.coldStarts;
    }
    return { invocations, coldStarts, functions };
  }

  /** Ends every environment; invocations still running or queued fail with `Crash` (`Runtime.Closed`). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    const closing: Promise<unknown>[] = [];
    for (const pool of this.#pools.values()) {
      for (const p of pool.queue.splice(0)) this.#dispatcher.settle(p, closed(p.requestId));
      for (const s of [...pool.slots]) {
        const p = s.current ?? s.reserved;
        if (p) this.#dispatcher.settle(p, closed(p.requestId));
        closing.push(this.#dispatcher.kill(s));
      }
    }
    this.#pools.clear();
    await Promise.all(closing);
  }

  #setFunctions(functions: readonly FunctionSpec[]): void {
    const seen = new Set<string>();
    for (const f of functions) {
      if (seen.has(f.name)) throw new TypeError(`LambdaRuntime: duplicate function name ${f.name}`);
      seen.add(f.name);
      if (!(f.timeout > 0))
        throw new TypeError(`LambdaRuntime: function ${f.name} has a non-positive timeout`);
      if (!(f.memorySize >= 16))
        throw new TypeError(`LambdaRuntime: function ${f.name} has memorySize < 16 MB`);
    }
    for (const f of functions) {
      const pool = this.#pools.get(f.name);
      if (pool === undefined) {
        this.#pools.set(f.name, newPool(f.name, '$LATEST', f));
      } else if (pool.spec !== f) {
        pool.spec = f;
        pool.generation++;
        for (const s of pool.idle.splice(0)) this.#dispatcher.kill(s);
      }
    }
  }

  #sweep(): void {
    const cutoff = performance.now() - this.#idleTimeoutMs;
    for (const pool of this.#pools.values()) {
      for (const s of pool.idle.filter((x) => x.lastUsed < cutoff)) this.#dispatcher.kill(s);
    }
  }
}

function newPool(key: string, version: string, spec: FunctionSpec): Pool {
  return {
    key,
    version,
    spec,
    generation: 0,
    slots: new Set(),
    idle: [],
    queue: [],
    stats: { invocations: 0, coldStarts: 0, coldStartMs: [], timeouts: 0, crashes: 0 },
  };
}
