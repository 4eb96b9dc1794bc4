import type { InvokeResult } from '../../shared/invoker.js';
import type { Logger } from '../../shared/logger.js';
import type { FunctionSpec } from '../cloudformation/types.js';
import type { ExecutionEnvironment } from './runtime-api/contract.js';

/** The runtime's logger: the shared logger type (kept under this name for existing imports). */
export type RuntimeLogger = Logger;

export interface LambdaRuntimeOptions {
  functions: readonly FunctionSpec[];
  log: RuntimeLogger;
  region: string;
  accountId: string;
  /** Execution environments per function; further invocations wait in a queue. Default 10. */
  maxConcurrency?: number;
  /** A warm environment idle this long is ended to give its memory back. Default 5 minutes. */
  idleTimeoutMs?: number;
  /**
   * Where the functions' CloudWatch-style lines go (START/END/REPORT and their output), with the log stream of the
   * execution environment that wrote them. Default: the logger.
   */
  consoleSink?: (line: string, functionName: string, logStreamName: string) => void;
  /** The python3 executable for `python3.x` functions. Default `python3` (looked up on Lambda's PATH). */
  python?: string;
  /** The local cloud's AWS endpoint: the functions reach AWS there (./runtime-api/local-cloud.ts). */
  awsEndpoint?: string;
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  /** Init durations of the most recent cold starts (start to the runtime's first `next`), newest last, at most 100. */
  coldStartMs: number[];
  timeouts: number;
  crashes: number;
  /** Execution environments alive now, of which starting or running an invocation, and invocations waiting. */
  workers: number;
  busy: number;
  queued: number;
}

export interface RuntimeStats {
  invocations: number;
  coldStarts: number;
  functions: Record<string, FunctionStats>;
}

export interface Pending {
  requestId: string;
  event: unknown;
  resolve: (r: InvokeResult) => void;
  settled: boolean;
  callerTimer: NodeJS.Timeout | undefined;
  /** The invocation's log lines, kept only for `tail`. */
  lines: string[] | undefined;
}

/** A published version: an immutable snapshot of a function's code and configuration. */
export interface PublishedVersion {
  version: string;
  spec: FunctionSpec;
}

/**
 * What the Lambda API published: versions, and aliases per function. An alias gives the version (or `$LATEST`) one
 * invocation runs: its FunctionVersion, or by its RoutingConfig's weights another one.
 */
export interface PublishedFunctions {
  versions: ReadonlyMap<string, readonly PublishedVersion[]>;
  aliases: ReadonlyMap<string, ReadonlyMap<string, () => string>>;
}

export interface Pool {
  /** `NAME` for `$LATEST`, `NAME:VERSION` for a published version. */
  key: string;
  /** `$LATEST` or the version number. */
  version: string;
  spec: FunctionSpec;
  /** Bumped by reload() and update(): environments of an older generation are ended instead of reused. */
  generation: number;
  slots: Set<Slot>;
  /** Warm environments, most recently used last (reused first, so the others can idle out). */
  idle: Slot[];
  queue: Pending[];
  stats: Omit<FunctionStats, 'workers' | 'busy' | 'queued'>;
}

/** One execution environment and what it is doing. */
export interface Slot {
  pool: Pool;
  /** The code this environment runs (an update swaps the pool's spec, not a running environment's). */
  spec: FunctionSpec;
  generation: number;
  env: ExecutionEnvironment | undefined;
  logStreamName: string;
  state: 'init' | 'idle' | 'busy' | 'dead';
  /** The invocation that started this environment and runs first once it is ready. */
  reserved: Pending | undefined;
  current: Pending | undefined;
  spawnedAt: number;
  initMs: number | undefined;
  initTimer: NodeJS.Timeout | undefined;
  fnTimer: NodeJS.Timeout | undefined;
  startedAt: number;
  invocations: number;
  lastUsed: number;
  /** Set by the runtime's last words (`crash`), read when it exits. */
  crash: { errorType: string; errorMessage: string } | undefined;
}
