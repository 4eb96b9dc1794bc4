import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FunctionInvoker, InvokeOptions, InvokeResult } from '../../shared/invoker.js';
import { CALLER_TIMED_OUT, FUNCTION_TIMED_OUT, functionNameOf } from '../../shared/invoker.js';
import type { FunctionSpec } from '../cloudformation/types.js';
import { WORKER_SOURCE } from './bootstrap.js';
import { lambdaEnvironment, logGroupNameOf, logStreamNameOf } from './env.js';

export { lambdaEnvironment, logGroupNameOf } from './env.js';

/** The subset of a pino logger the runtime uses. */
export interface RuntimeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface LambdaRuntimeOptions {
  functions: readonly FunctionSpec[];
  log: RuntimeLogger;
  region: string;
  accountId: string;
  /** Execution environments (worker threads) per function; further invocations wait in a queue. Default 10. */
  maxConcurrency?: number;
  /** A warm worker idle this long is ended to give its memory back. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** Where the functions' CloudWatch-style lines go (START/END/REPORT and tagged console output). Default: the logger. */
  consoleSink?: (line: string, functionName: string) => void;
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  /** Init durations of the most recent cold starts (worker start to handler loaded), newest last, at most 100. */
  coldStartMs: number[];
  timeouts: number;
  crashes: number;
  /** Worker threads alive now, of which starting or running an invocation, and invocations waiting for one. */
  workers: number;
  busy: number;
  queued: number;
}

export interface RuntimeStats {
  invocations: number;
  coldStarts: number;
  functions: Record<string, FunctionStats>;
}

/** Lambda gives a function's init phase 10 seconds before it is reset. */
const INIT_TIMEOUT_MS = 10_000;
const COLD_START_HISTORY = 100;
/**
 * Lambda's limit on a synchronous invocation's response.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_BYTES = 6_291_556;

interface Pending {
  requestId: string;
  event: unknown;
  resolve: (r: InvokeResult) => void;
  settled: boolean;
  callerTimer: NodeJS.Timeout | undefined;
}

interface Pool {
  spec: FunctionSpec;
  /** Bumped by reload(): workers of an older generation are ended instead of reused. */
  generation: number;
  slots: Set<Slot>;
  /** Warm workers, most recently used last (reused first, so the others can idle out). */
  idle: Slot[];
  queue: Pending[];
  stats: Omit<FunctionStats, 'workers' | 'busy' | 'queued'>;
}

interface Slot {
  pool: Pool;
  generation: number;
  worker: Worker;
  state: 'init' | 'idle' | 'busy' | 'dead';
  /** The invocation that started this worker and runs first once it is ready. */
  reserved: Pending | undefined;
  current: Pending | undefined;
  spawnedAt: number;
  initMs: number | undefined;
  initTimer: NodeJS.Timeout | undefined;
  fnTimer: NodeJS.Timeout | undefined;
  startedAt: number;
  invocations: number;
  lastUsed: number;
  maxMemMb: number;
  /** Set by the worker's last words (`crash` message) or the `error` event, read when the thread exits. */
  crash: { errorType: string; errorMessage: string } | undefined;
}

type WorkerMessage =
  | { t: 'ready' }
  | { t: 'initError'; errorType: string; errorMessage: string }
  | { t: 'log'; line: string }
  | { t: 'result'; id: string; json: string; mem: number }
  | { t: 'error'; id: string; errorType: string; errorMessage: string; mem: number }
  | { t: 'crash'; errorType: string; errorMessage: string };

/**
 * Runs the template's Lambda functions locally, one worker thread per execution environment.
 *
 * - A worker has its own globals and its own `process.env` (the template's variables plus Lambda's), and handles
 *   one invocation at a time, like an execution environment; it stays warm for the next one.
 * - Up to `maxConcurrency` workers per function; further invocations wait in a FIFO queue rather than failing with
 *   429: locally the limit protects a 2-core machine, it is not the account's concurrency quota, and at that load AWS
 *   would not throttle. The caller's `timeoutMs` still runs while an invocation waits.
 * - The function's Timeout ends the worker (`Sandbox.Timedout`). A caller timeout shorter than that answers the
 *   caller at once but lets the function run on, as API Gateway does with its integration timeout.
 * - A handler that throws leaves the worker usable (`Unhandled`); an uncaught exception, an unhandled rejection,
 *   `process.exit()` or running out of memory ends only that worker (`Crash`).
 * - REPORT's "Max Memory Used" is the worker isolate's V8 heap, not a process RSS (workers share one process).
 *
 * Not emulated: freezing between invocations (a handler's timers keep running), waiting for an empty event loop
 * after a callback (`callbackWaitsForEmptyEventLoop` is always treated as false), `process.chdir` to the task root
 * (workers cannot change directory), the 6 MB request payload limit, the account's concurrency quota.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export class LambdaRuntime implements FunctionInvoker {
  readonly #log: RuntimeLogger;
  readonly #region: string;
  readonly #accountId: string;
  readonly #maxConcurrency: number;
  readonly #idleTimeoutMs: number;
  readonly #sink: (line: string, functionName: string) => void;
  readonly #pools = new Map<string, Pool>();
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(o: LambdaRuntimeOptions) {
    this.#log = o.log;
    this.#region = o.region;
    this.#accountId = o.accountId;
    this.#maxConcurrency = o.maxConcurrency ?? 10;
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 5 * 60_000;
    if (!Number.isInteger(this.#maxConcurrency) || this.#maxConcurrency < 1) {
      throw new TypeError('LambdaRuntime: maxConcurrency must be an integer of at least 1');
    }
    if (!(this.#idleTimeoutMs > 0)) throw new TypeError('LambdaRuntime: idleTimeoutMs must be positive');
    this.#sink = o.consoleSink ?? ((line, functionName) => o.log.info({ functionName }, line));
    this.#setFunctions(o.functions);
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(this.#idleTimeoutMs, 30_000));
    this.#sweeper.unref();
  }

  /**
   * Invokes a function synchronously (RequestResponse) by name or ARN.
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
   */
  invoke(functionNameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    const name = functionNameOf(functionNameOrArn);
    const pool = this.#pools.get(name);
    const requestId = randomUUID();
    if (pool === undefined || this.#closed) {
      return Promise.resolve({
        ok: false,
        kind: 'NotFound',
        errorType: 'ResourceNotFoundException',
        errorMessage: `Function not found: arn:aws:lambda:${this.#region}:${this.#accountId}:function:${name}`,
        requestId,
      });
    }
    return new Promise<InvokeResult>((resolve) => {
      const p: Pending = { requestId, event, resolve, settled: false, callerTimer: undefined };
      const limit = options?.timeoutMs;
      if (limit !== undefined) {
        p.callerTimer = setTimeout(() => this.#callerTimeout(pool, p, limit), Math.max(0, limit));
      }
      this.#dispatch(pool, p);
    });
  }

  /**
   * Replaces the function definitions (for `--watch`). Warm workers are ended, busy ones when they finish, so the
   * next invocation loads the new code. Invocations queued for a function that is gone fail with NotFound.
   */
  reload(functions: readonly FunctionSpec[]): void {
    const next = new Map(functions.map((f) => [f.name, f]));
    for (const [name, pool] of this.#pools) {
      if (!next.has(name)) {
        this.#pools.delete(name);
        pool.generation++;
        for (const p of pool.queue.splice(0)) {
          this.#settle(p, {
            ok: false,
            kind: 'NotFound',
            errorType: 'ResourceNotFoundException',
            errorMessage: `Function not found: ${pool.spec.arn}`,
            requestId: p.requestId,
          });
        }
        for (const s of pool.idle.splice(0)) this.#kill(s);
      }
    }
    this.#setFunctions(functions);
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

  /** Ends every worker; invocations still running or queued fail with `Crash` (`Runtime.Closed`). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweeper);
    const closing: Promise<unknown>[] = [];
    for (const pool of this.#pools.values()) {
      for (const p of pool.queue.splice(0)) this.#settle(p, closed(p.requestId));
      for (const s of [...pool.slots]) {
        const p = s.current ?? s.reserved;
        if (p) this.#settle(p, closed(p.requestId));
        closing.push(this.#kill(s));
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
        this.#pools.set(f.name, {
          spec: f,
          generation: 0,
          slots: new Set(),
          idle: [],
          queue: [],
          stats: { invocations: 0, coldStarts: 0, coldStartMs: [], timeouts: 0, crashes: 0 },
        });
      } else {
        pool.spec = f;
        pool.generation++;
        for (const s of pool.idle.splice(0)) this.#kill(s);
      }
    }
  }

  #dispatch(pool: Pool, p: Pending): void {
    const warm = pool.idle.pop();
    if (warm !== undefined) this.#run(warm, p);
    else if (pool.slots.size < this.#maxConcurrency) this.#spawn(pool, p);
    else pool.queue.push(p);
  }

  #spawn(pool: Pool, first: Pending): void {
    const spec = pool.spec;
    const logStreamName = logStreamNameOf(Date.now(), randomBytes(16).toString('hex'));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      name: `lambda:${spec.name}`,
      env: lambdaEnvironment(spec, { region: this.#region, logStreamName }),
      // A clean isolate: the host's loaders (tsx, vitest) are not the Lambda runtime's.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: spec.memorySize },
      workerData: {
        handler: spec.handler,
        codeDir: spec.codeDir,
        functionName: spec.name,
        arn: spec.arn,
        memorySize: spec.memorySize,
        logGroupName: logGroupNameOf(spec.name),
        logStreamName,
      },
    });
    const slot: Slot = {
      pool,
      generation: pool.generation,
      worker,
      state: 'init',
      reserved: first,
      current: undefined,
      spawnedAt: performance.now(),
      initMs: undefined,
      initTimer: undefined,
      fnTimer: undefined,
      startedAt: 0,
      invocations: 0,
      lastUsed: 0,
      maxMemMb: 0,
      crash: undefined,
    };
    pool.slots.add(slot);
    worker.on('message', (m: WorkerMessage) => this.#onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) => {
      slot.crash ??=
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed' }
          : { errorType: e.name, errorMessage: e.message };
    });
    worker.on('exit', (code) => this.#onExit(slot, code));
    slot.initTimer = setTimeout(() => {
      const p = slot.reserved;
      slot.reserved = undefined;
      if (p) {
        this.#settle(p, {
          ok: false,
          kind: 'Timeout',
          errorType: FUNCTION_TIMED_OUT,
          errorMessage: `${new Date().toISOString()} ${p.requestId} Init timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
          requestId: p.requestId,
        });
      }
      this.#kill(slot);
      this.#refill(pool);
    }, INIT_TIMEOUT_MS);
  }

  #onMessage(slot: Slot, m: WorkerMessage): void {
    const pool = slot.pool;
    if (slot.state === 'dead') return;
    switch (m.t) {
      case 'log':
        this.#sink(m.line, pool.spec.name);
        return;
      case 'ready': {
        clearTimeout(slot.initTimer);
        slot.initMs = performance.now() - slot.spawnedAt;
        pool.stats.coldStarts++;
        pool.stats.coldStartMs.push(slot.initMs);
        if (pool.stats.coldStartMs.length > COLD_START_HISTORY) pool.stats.coldStartMs.shift();
        const p = slot.reserved;
        slot.reserved = undefined;
        // Run it even if its caller stopped waiting: the invocation happened, as in Lambda; only the answer is lost.
        if (p !== undefined) this.#run(slot, p);
        else this.#release(slot);
        return;
      }
      case 'initError': {
        clearTimeout(slot.initTimer);
        const p = slot.reserved;
        slot.reserved = undefined;
        if (p !== undefined) {
          pool.stats.invocations++;
          this.#settle(p, {
            ok: false,
            kind: 'Crash',
            errorType: m.errorType,
            errorMessage: m.errorMessage,
            requestId: p.requestId,
          });
        }
        this.#kill(slot);
        this.#refill(pool);
        return;
      }
      case 'crash':
        slot.crash = { errorType: m.errorType, errorMessage: m.errorMessage };
        return;
      case 'result':
      case 'error': {
        const p = slot.current;
        if (p === undefined || p.requestId !== m.id || slot.state !== 'busy') return;
        clearTimeout(slot.fnTimer);
        const durationMs = performance.now() - slot.startedAt;
        slot.maxMemMb = Math.max(slot.maxMemMb, m.mem);
        const coldStart = slot.invocations === 1;
        this.#report(slot, p.requestId, durationMs, coldStart, undefined);
        if (!p.settled) {
          if (m.t === 'result' && tooLarge(m.json)) {
            this.#settle(p, {
              ok: false,
              kind: 'Unhandled',
              errorType: 'Function.ResponseSizeTooLarge',
              errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
              requestId: p.requestId,
            });
          } else if (m.t === 'result') {
            this.#settle(p, {
              ok: true,
              payload: JSON.parse(m.json) as unknown,
              requestId: p.requestId,
              durationMs,
              coldStart,
            });
          } else {
            this.#settle(p, {
              ok: false,
              kind: 'Unhandled',
              errorType: m.errorType,
              errorMessage: m.errorMessage,
              requestId: p.requestId,
            });
          }
        }
        slot.current = undefined;
        this.#release(slot);
        return;
      }
    }
  }

  #run(slot: Slot, p: Pending): void {
    const spec = slot.pool.spec;
    slot.state = 'busy';
    slot.current = p;
    slot.invocations++;
    slot.pool.stats.invocations++;
    slot.worker.ref();
    const timeoutMs = spec.timeout * 1000;
    this.#sink(`START RequestId: ${p.requestId} Version: $LATEST`, spec.name);
    slot.fnTimer = setTimeout(() => this.#functionTimeout(slot, p, timeoutMs), timeoutMs);
    slot.startedAt = performance.now();
    try {
      slot.worker.postMessage({ id: p.requestId, event: p.event, deadline: Date.now() + timeoutMs });
    } catch (e) {
      // An event that cannot be cloned (a function, a socket) is a bad request, as a non-JSON Invoke payload is.
      clearTimeout(slot.fnTimer);
      slot.current = undefined;
      this.#settle(p, {
        ok: false,
        kind: 'Unhandled',
        errorType: 'InvalidRequestContentException',
        errorMessage: `Could not parse request body into json: ${(e as Error).message}`,
        requestId: p.requestId,
      });
      this.#release(slot);
    }
  }

  /** A warm worker takes the next queued invocation, or goes idle; one from before a reload() is ended. */
  #release(slot: Slot): void {
    const pool = slot.pool;
    if (this.#closed || slot.generation !== pool.generation) {
      this.#kill(slot);
      this.#refill(pool);
      return;
    }
    let next = pool.queue.shift();
    while (next?.settled) next = pool.queue.shift();
    if (next !== undefined) {
      this.#run(slot, next);
      return;
    }
    slot.state = 'idle';
    slot.lastUsed = performance.now();
    // An idle worker must not keep the process alive (tests, a CLI that is shutting down).
    slot.worker.unref();
    pool.idle.push(slot);
  }

  /** After a worker ended, start another for the queue if there is room. */
  #refill(pool: Pool): void {
    if (this.#closed || this.#pools.get(pool.spec.name) !== pool) return;
    while (pool.queue.length > 0 && pool.slots.size < this.#maxConcurrency) {
      const next = pool.queue.shift();
      if (next !== undefined && !next.settled) this.#spawn(pool, next);
    }
  }

  #functionTimeout(slot: Slot, p: Pending, timeoutMs: number): void {
    if (slot.current !== p || slot.state !== 'busy') return;
    const durationMs = performance.now() - slot.startedAt;
    slot.pool.stats.timeouts++;
    this.#report(slot, p.requestId, durationMs, slot.invocations === 1, 'Status: timeout');
    this.#settle(p, {
      ok: false,
      kind: 'Timeout',
      errorType: FUNCTION_TIMED_OUT,
      errorMessage: `${new Date().toISOString()} ${p.requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      requestId: p.requestId,
    });
    slot.current = undefined;
    this.#kill(slot);
    this.#refill(slot.pool);
  }

  #callerTimeout(pool: Pool, p: Pending, limitMs: number): void {
    if (p.settled) return;
    const i = pool.queue.indexOf(p);
    if (i >= 0) pool.queue.splice(i, 1);
    this.#settle(p, {
      ok: false,
      kind: 'Timeout',
      errorType: CALLER_TIMED_OUT,
      errorMessage: `The caller stopped waiting after ${limitMs} ms`,
      requestId: p.requestId,
    });
  }

  #onExit(slot: Slot, code: number): void {
    if (slot.state === 'dead') return;
    const pool = slot.pool;
    clearTimeout(slot.initTimer);
    clearTimeout(slot.fnTimer);
    this.#forget(slot);
    pool.stats.crashes++;
    const p = slot.current ?? slot.reserved;
    const crash = slot.crash ?? {
      errorType: 'Runtime.ExitError',
      errorMessage: `Runtime exited with error: exit status ${code}`,
    };
    this.#log.warn(
      { functionName: pool.spec.name, requestId: p?.requestId, errorType: crash.errorType, exitCode: code },
      'Lambda execution environment crashed; it will be replaced',
    );
    if (p !== undefined) {
      if (slot.current === p) {
        this.#report(
          slot,
          p.requestId,
          performance.now() - slot.startedAt,
          slot.invocations === 1,
          `Status: error\tError Type: ${crash.errorType}`,
        );
      } else {
        pool.stats.invocations++;
      }
      this.#settle(p, {
        ok: false,
        kind: 'Crash',
        errorType: crash.errorType,
        errorMessage: `RequestId: ${p.requestId} Error: ${crash.errorMessage}`,
        requestId: p.requestId,
      });
    }
    slot.current = undefined;
    slot.reserved = undefined;
    this.#refill(pool);
  }

  #report(
    slot: Slot,
    requestId: string,
    durationMs: number,
    coldStart: boolean,
    status: string | undefined,
  ): void {
    const name = slot.pool.spec.name;
    this.#sink(`END RequestId: ${requestId}`, name);
    let line = `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${slot.pool.spec.memorySize} MB\tMax Memory Used: ${slot.maxMemMb} MB`;
    if (coldStart && slot.initMs !== undefined) line += `\tInit Duration: ${slot.initMs.toFixed(2)} ms`;
    if (status !== undefined) line += `\t${status}`;
    this.#sink(line, name);
  }

  #settle(p: Pending, r: InvokeResult): void {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.callerTimer);
    p.resolve(r);
  }

  #forget(slot: Slot): void {
    slot.state = 'dead';
    slot.pool.slots.delete(slot);
    const i = slot.pool.idle.indexOf(slot);
    if (i >= 0) slot.pool.idle.splice(i, 1);
  }

  #kill(slot: Slot): Promise<number> {
    if (slot.state === 'dead') return Promise.resolve(0);
    clearTimeout(slot.initTimer);
    clearTimeout(slot.fnTimer);
    this.#forget(slot);
    return slot.worker.terminate();
  }

  #sweep(): void {
    const cutoff = performance.now() - this.#idleTimeoutMs;
    for (const pool of this.#pools.values()) {
      for (const s of pool.idle.filter((x) => x.lastUsed < cutoff)) this.#kill(s);
    }
  }
}

/** A UTF-8 character takes at most 3 bytes per UTF-16 unit, so most responses skip the byte count. */
function tooLarge(json: string): boolean {
  return json.length * 3 > MAX_RESPONSE_BYTES && Buffer.byteLength(json) > MAX_RESPONSE_BYTES;
}

function closed(requestId: string): InvokeResult {
  return {
    ok: false,
    kind: 'Crash',
    errorType: 'Runtime.Closed',
    errorMessage: 'The local Lambda runtime was closed',
    requestId,
  };
}
