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
}

export type InvokeResult =
  | { ok: true; payload: unknown; requestId: string; durationMs: number; coldStart: boolean }
  | {
      ok: false;
      /** `Timeout`: the function or caller limit ran out. `Unhandled`: the handler threw or rejected.
       *  `Crash`: the worker died (exit, OOM). `NotFound`: no such function. */
      kind: 'Timeout' | 'Unhandled' | 'Crash' | 'NotFound';
      errorType: string;
      errorMessage: string;
      requestId: string;
    };

/** Extracts the function name from `arn:aws:lambda:<region>:<acct>:function:<name>[:qualifier]` or a bare name. */
export function functionNameOf(nameOrArn: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  return m?.[1] ?? nameOrArn;
}
