import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { InvokeResult } from '../../shared/invoker.js';
import { CALLER_TIMED_OUT } from '../../shared/invoker.js';
import { lambdaEnvironment, logGroupNameOf, logStreamNameOf } from './env.js';
import { failure, MAX_RESPONSE_BYTES, parsePayload, reportLine, timedOut, tooLarge } from './results.js';
import type { EnvironmentFactory, RuntimeMessage } from './runtime-api/contract.js';
import { localCloudEnvironment } from './runtime-api/local-cloud.js';
import { startWorkerEnvironment } from './runtime-api/worker-environment.js';
import type { Pending, Pool, RuntimeLogger, Slot } from './runtime-types.js';

/** Random bytes for X-Ray trace ids, drawn from a buffer refilled every 341 ids rather than a call per invocation. */
let traceBytes = Buffer.alloc(0);
let traceAt = 0;
function traceHex(): string {
  if (traceAt + 12 > traceBytes.length) {
    traceBytes = randomBytes(4092);
    traceAt = 0;
  }
  traceAt += 12;
  return traceBytes.toString('hex', traceAt - 12, traceAt);
}

/** Lambda gives a function's init phase 10 seconds before it is reset. */
const INIT_TIMEOUT_MS = 10_000;
const COLD_START_HISTORY = 100;
/** LogType=Tail returns the last 4 KB of the invocation's log. */
const TAIL_CHARS = 4096;

/** What the dispatcher needs of the runtime that owns the pools. */
export interface DispatcherHost {
  region: string;
  maxConcurrency: number;
  log: RuntimeLogger;
  sink: (line: string, functionName: string, logStreamName: string) => void;
  /** Starts process runtimes (Python, `provided`). */
  processes: EnvironmentFactory;
  /** The local cloud's AWS endpoint, for its functions (./runtime-api/local-cloud.ts). */
  awsEndpoint?: string;
  closed(): boolean;
  /** The live pool of that key (a pool dropped by reload() is no longer refilled). */
  pool(key: string): Pool | undefined;
}

/**
 * Moves invocations through execution environments: starts them, hands them invocations through the Runtime API
 * contract, reads their answers, enforces the init and function timeouts, writes START/END/REPORT and replaces an
 * environment that timed out or crashed. The LambdaRuntime (./runtime.ts) owns the pools and the public API.
 */
export class Dispatcher {
  readonly #host: DispatcherHost;

  constructor(host: DispatcherHost) {
    this.#host = host;
  }

  dispatch(pool: Pool, p: Pending): void {
    const warm = pool.idle.pop();
    if (warm !== undefined) this.#run(warm, p);
    else if (pool.slots.size < this.#host.maxConcurrency) this.#spawn(pool, p);
    else pool.queue.push(p);
  }

  #factory(runtime: string): EnvironmentFactory | undefined {
    if (runtime.startsWith('nodejs')) return startWorkerEnvironment;
    if (runtime.startsWith('python') || runtime.startsWith('provided')) return this.#host.processes;
    return undefined;
  }

  #spawn(pool: Pool, first: Pending): void {
    const spec = pool.spec;
    const factory = this.#factory(spec.runtime);
    if (factory === undefined) {
      pool.stats.invocations++;
      this.settle(
        first,
        failure(
          'Crash',
          first.requestId,
          'Runtime.InvalidRuntime',
          `The runtime ${spec.runtime} is not supported locally`,
        ),
      );
      return;
    }
    const logStreamName = logStreamNameOf(Date.now(), randomBytes(16).toString('hex'), pool.version);
    const slot: Slot = {
      pool,
      spec,
      generation: pool.generation,
      env: undefined,
      logStreamName,
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
      crash: undefined,
    };
    pool.slots.add(slot);
    slot.env = factory({
      spec,
      env: {
        ...(this.#host.awsEndpoint !== undefined ? localCloudEnvironment(this.#host.awsEndpoint) : {}),
        ...lambdaEnvironment(spec, { region: this.#host.region, logStreamName, version: pool.version }),
      },
      ...(this.#host.awsEndpoint !== undefined ? { awsEndpoint: this.#host.awsEndpoint } : {}),
      logGroupName: logGroupNameOf(spec.name),
      logStreamName,
      onMessage: (m) => this.#onMessage(slot, m),
    });
    slot.initTimer = setTimeout(() => {
      const p = slot.reserved;
      slot.reserved = undefined;
      if (p) this.settle(p, timedOut(p.requestId, 'Init', INIT_TIMEOUT_MS / 1000, new Date()));
      this.kill(slot);
      this.#refill(pool);
    }, INIT_TIMEOUT_MS);
  }

  #line(slot: Slot, line: string): void {
    this.#host.sink(line, slot.spec.name, slot.logStreamName);
    (slot.current ?? slot.reserved)?.lines?.push(line);
  }

  #onMessage(slot: Slot, m: RuntimeMessage): void {
    const pool = slot.pool;
    if (slot.state === 'dead') return;
    switch (m.t) {
      case 'log':
        this.#line(slot, m.line);
        return;
      case 'next': {
        // The first `next` ends the init phase; later ones follow an answer, which already freed the environment.
        if (slot.state !== 'init') return;
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
          this.settle(p, failure('Crash', p.requestId, m.errorType, m.errorMessage));
        }
        this.kill(slot);
        this.#refill(pool);
        return;
      }
      case 'crash':
        slot.crash ??= { errorType: m.errorType, errorMessage: m.errorMessage };
        return;
      case 'exit':
        this.#onExit(slot, m.code);
        return;
      case 'response':
      case 'error':
        this.#onAnswer(slot, m);
    }
  }

  #onAnswer(slot: Slot, m: Extract<RuntimeMessage, { t: 'response' | 'error' }>): void {
    const p = slot.current;
    if (p === undefined || p.requestId !== m.requestId || slot.state !== 'busy') return;
    clearTimeout(slot.fnTimer);
    const durationMs = performance.now() - slot.startedAt;
    const coldStart = slot.invocations === 1;
    if (slot.env?.memoryExceeded?.()) {
      // The environment went past its memory size: Lambda would have killed it, so its answer is not passed on.
      const status = 'Status: error\tError Type: Runtime.OutOfMemory';
      this.#report(slot, p.requestId, durationMs, coldStart, status);
      const message = `RequestId: ${p.requestId} Error: Runtime exited with error: signal: killed`;
      this.settle(p, failure('Crash', p.requestId, 'Runtime.OutOfMemory', message));
      slot.current = undefined;
      slot.pool.stats.crashes++;
      this.kill(slot);
      this.#refill(slot.pool);
      return;
    }
    this.#report(slot, p.requestId, durationMs, coldStart, undefined);
    if (m.t === 'response' && tooLarge(m.json)) {
      this.settle(
        p,
        failure(
          'Unhandled',
          p.requestId,
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        ),
      );
    } else if (m.t === 'response') {
      this.settle(p, {
        ok: true,
        payload: parsePayload(m.json),
        requestId: p.requestId,
        durationMs,
        coldStart,
      });
    } else {
      this.settle(p, failure('Unhandled', p.requestId, m.errorType, m.errorMessage));
    }
    slot.current = undefined;
    this.#release(slot);
  }

  #run(slot: Slot, p: Pending): void {
    const spec = slot.spec;
    slot.state = 'busy';
    slot.current = p;
    slot.invocations++;
    slot.pool.stats.invocations++;
    slot.env?.ref();
    const timeoutMs = spec.timeout * 1000;
    this.#line(slot, `START RequestId: ${p.requestId} Version: $LATEST`);
    slot.fnTimer = setTimeout(() => this.#functionTimeout(slot, p, timeoutMs), timeoutMs);
    slot.startedAt = performance.now();
    try {
      slot.env?.deliver({
        requestId: p.requestId,
        event: p.event,
        deadlineMs: Date.now() + timeoutMs,
        invokedFunctionArn: spec.arn,
        traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${traceHex()};Sampled=0`,
      });
    } catch (e) {
      // An event that cannot be sent (a function, a socket, a cycle) is a bad request, as a non-JSON payload is.
      clearTimeout(slot.fnTimer);
      slot.current = undefined;
      this.settle(
        p,
        failure(
          'Unhandled',
          p.requestId,
          'InvalidRequestContentException',
          `Could not parse request body into json: ${(e as Error).message}`,
        ),
      );
      this.#release(slot);
    }
  }

  /** A warm environment takes the next queued invocation, or goes idle; one from an older generation is ended. */
  #release(slot: Slot): void {
    const pool = slot.pool;
    if (this.#host.closed() || slot.generation !== pool.generation) {
      this.kill(slot);
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
    // An idle environment must not keep the process alive (tests, a CLI that is shutting down).
    slot.env?.unref();
    pool.idle.push(slot);
  }

  /** After an environment ended, start another for the queue if there is room. */
  #refill(pool: Pool): void {
    if (this.#host.closed() || this.#host.pool(pool.key) !== pool) return;
    while (pool.queue.length > 0 && pool.slots.size < this.#host.maxConcurrency) {
      const next = pool.queue.shift();
      if (next !== undefined && !next.settled) this.#spawn(pool, next);
    }
  }

  #functionTimeout(slot: Slot, p: Pending, timeoutMs: number): void {
    if (slot.current !== p || slot.state !== 'busy') return;
    const durationMs = performance.now() - slot.startedAt;
    slot.pool.stats.timeouts++;
    this.#report(slot, p.requestId, durationMs, slot.invocations === 1, 'Status: timeout');
    this.settle(p, timedOut(p.requestId, 'Task', timeoutMs / 1000, new Date()));
    slot.current = undefined;
    this.kill(slot);
    this.#refill(slot.pool);
  }

  callerTimeout(pool: Pool, p: Pending, limitMs: number): void {
    if (p.settled) return;
    const i = pool.queue.indexOf(p);
    if (i >= 0) pool.queue.splice(i, 1);
    this.settle(
      p,
      failure('Timeout', p.requestId, CALLER_TIMED_OUT, `The caller stopped waiting after ${limitMs} ms`),
    );
  }

  #onExit(slot: Slot, code: number): void {
    const pool = slot.pool;
    this.#forget(slot);
    pool.stats.crashes++;
    const p = slot.current ?? slot.reserved;
    const crash = slot.crash ?? {
      errorType: 'Runtime.ExitError',
      errorMessage: `Runtime exited with error: exit status ${code}`,
    };
    this.#host.log.warn(
      { functionName: pool.spec.name, requestId: p?.requestId, errorType: crash.errorType, exitCode: code },
      'Lambda execution environment crashed; it will be replaced',
    );
    if (p !== undefined) {
      if (slot.current === p) {
        const status = `Status: error\tError Type: ${crash.errorType}`;
        this.#report(slot, p.requestId, performance.now() - slot.startedAt, slot.invocations === 1, status);
      } else {
        pool.stats.invocations++;
      }
      const message = `RequestId: ${p.requestId} Error: ${crash.errorMessage}`;
      this.settle(p, failure('Crash', p.requestId, crash.errorType, message));
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
    this.#line(slot, `END RequestId: ${requestId}`);
    const line = reportLine({
      requestId,
      durationMs,
      memorySize: slot.spec.memorySize,
      maxMemoryMb: slot.env?.maxMemoryMb() ?? 0,
      initMs: coldStart ? slot.initMs : undefined,
      status,
    });
    this.#line(slot, line);
  }

  settle(p: Pending, r: InvokeResult): void {
    if (p.settled) return;
    p.settled = true;
    clearTimeout(p.callerTimer);
    if (p.lines !== undefined) r.log = p.lines.join('\n').concat('\n').slice(-TAIL_CHARS);
    p.resolve(r);
  }

  #forget(slot: Slot): void {
    clearTimeout(slot.initTimer);
    clearTimeout(slot.fnTimer);
    slot.state = 'dead';
    slot.pool.slots.delete(slot);
    const i = slot.pool.idle.indexOf(slot);
    if (i >= 0) slot.pool.idle.splice(i, 1);
  }

  kill(slot: Slot): Promise<void> {
    if (slot.state === 'dead') return Promise.resolve();
    this.#forget(slot);
    return slot.env?.terminate() ?? Promise.resolve();
  }
}
