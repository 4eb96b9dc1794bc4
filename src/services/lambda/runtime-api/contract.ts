/**
 * The Lambda Runtime API as one contract between the host and an execution environment, whatever carries it.
 *
 * A runtime loops: `next` (the first call ends its init), then `response` or `error` for the invocation it got, then
 * `next` again; a runtime that cannot start reports `initError`. Process runtimes (Python, `provided`) speak it over
 * HTTP at `AWS_LAMBDA_RUNTIME_API` (./http-server.ts); Node functions speak the same messages over a worker thread's
 * MessagePort (./worker-environment.ts), which is faster than a loopback HTTP round trip per invocation. The
 * scheduler (../runtime.ts) sees only this contract.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 */
import type { FunctionSpec } from '../../cloudformation/types.js';

/** One invocation, as `GET /runtime/invocation/next` hands it out. */
export interface Invocation {
  requestId: string;
  /** The event. Worker threads receive it structured-cloned; process runtimes receive its JSON. */
  event: unknown;
  /** Epoch ms when the function's Timeout runs out (`Lambda-Runtime-Deadline-Ms`). */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
}

/** What a runtime tells the host: the Runtime API's calls, plus its log lines and its end. */
export type RuntimeMessage =
  | { t: 'next' }
  | { t: 'response'; requestId: string; json: string }
  | { t: 'error'; requestId: string; errorType: string; errorMessage: string }
  | { t: 'initError'; errorType: string; errorMessage: string }
  | { t: 'log'; line: string }
  /** The runtime's last words before it exits on an uncaught error. */
  | { t: 'crash'; errorType: string; errorMessage: string }
  | { t: 'exit'; code: number };

/** The host's handle on one execution environment. */
export interface ExecutionEnvironment {
  /** Answers the runtime's pending (or next) `next` call. Throws when the event cannot be sent (not serialisable). */
  deliver(invocation: Invocation): void;
  /** The most memory the environment has used, in MB, for REPORT lines. */
  maxMemoryMb(): number;
  /**
   * Whether the environment has used more than the function's memory size, for environments whose memory is not
   * capped while they run (processes): the host then ends it as Lambda would have. Worker threads are capped by V8.
   */
  memoryExceeded?(): boolean;
  /** Whether the environment keeps the host process alive (busy) or not (idle). */
  ref(): void;
  unref(): void;
  /** Ends the environment at once (timeout, reload, close); resolves once it is gone. */
  terminate(): Promise<void>;
}

export interface EnvironmentOptions {
  spec: FunctionSpec;
  /** The variables the function sees (./env.ts), without AWS_LAMBDA_RUNTIME_API: the transport adds it. */
  env: Record<string, string>;
  logGroupName: string;
  logStreamName: string;
  /** The local cloud's AWS endpoint: HTTPS to `*.amazonaws.com` goes there (./local-cloud.ts). */
  awsEndpoint?: string;
  onMessage(message: RuntimeMessage): void;
}

/** Starts an execution environment for a function. */
export type EnvironmentFactory = (options: EnvironmentOptions) => ExecutionEnvironment;
