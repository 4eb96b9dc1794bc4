import {
  CALLER_TIMED_OUT,
  type FunctionInvoker,
  type InvokeOptions,
  type InvokeResult,
} from '../../../src/shared/invoker.js';

type Handler = (event: unknown) => InvokeResult | Promise<InvokeResult>;

/** A FunctionInvoker for gateway tests: records every call and answers from per-function handlers. */
export class FakeInvoker implements FunctionInvoker {
  readonly calls: { name: string; event: unknown; options: InvokeOptions | undefined }[] = [];
  readonly handlers = new Map<string, Handler>();

  async invoke(name: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult> {
    this.calls.push({ name, event, options });
    const h = this.handlers.get(name);
    if (!h)
      return {
        ok: false,
        kind: 'NotFound',
        errorType: 'ResourceNotFoundException',
        errorMessage: name,
        requestId: 'x',
      };
    return h(event);
  }

  /** Answers with `payload` as a successful invocation. */
  returns(name: string, payload: unknown | ((event: unknown) => unknown)): void {
    this.handlers.set(name, (event) => ({
      ok: true,
      payload: typeof payload === 'function' ? (payload as (e: unknown) => unknown)(event) : payload,
      requestId: 'lambda-req',
      durationMs: 1,
      coldStart: false,
    }));
  }

  /** A `Timeout` here is the caller's (integration) timeout, reported the way the runtime reports it. */
  fails(name: string, kind: 'Timeout' | 'Unhandled' | 'Crash'): void {
    this.handlers.set(name, () => ({
      ok: false,
      kind,
      errorType: kind === 'Timeout' ? CALLER_TIMED_OUT : 'Error',
      errorMessage: 'secret detail',
      requestId: 'lambda-req',
    }));
  }
}
