/**
 * Invokes a Lambda function by name or ARN. The runtime implements it; the gateway and the IdP's triggers
 * depend only on this interface.
 */
export interface FunctionInvoker {
  invoke(functionNameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}

export interface InvokeOptions {
  /** Caller-side limit (e.g. the integration timeout); the function's own Timeout still applies. */
  timeoutMs?: number;
  /** Keep the invocation's log lines (START to REPORT) for the result's `log` (Invoke's `LogType=Tail`). */
  tail?: boolean;
}

export type InvokeResult =
  | {
      ok: true;
      payload: unknown;
      requestId: string;
      durationMs: number;
      coldStart: boolean;
      /** With `tail`: the invocation's log lines. */
      log?: string;
    }
  | {
      ok: false;
      /** `Timeout`: the function or caller limit ran out. `Unhandled`: the handler threw or rejected.
       *  `Crash`: the worker died (exit, OOM). `NotFound`: no such function. */
      kind: 'Timeout' | 'Unhandled' | 'Crash' | 'NotFound';
      errorType: string;
      errorMessage: string;
      requestId: string;
      /** With `tail`: the invocation's log lines. */
      log?: string;
    };

/** Extracts the function name from `arn:aws:lambda:<region>:<acct>:function:<name>[:qualifier]` or a bare name. */
export function functionNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  return m?.[1] ?? nameOrArn;
}

/** errorType of a `Timeout` result when the function ran past its own Timeout: Lambda answers with a function
 *  error, which API Gateway turns into a 500 and Cognito into UserLambdaValidationException. */
export const FUNCTION_TIMED_OUT = 'Sandbox.Timedout';

/** errorType of a `Timeout` result when the caller's `timeoutMs` ran out first (the function may still be
 *  running): API Gateway's integration timeout (503), Cognito's 5 s limit (UnexpectedLambdaException). */
export const CALLER_TIMED_OUT = 'Invoke.Timeout';
