import type { InvocationRequest, InvocationResponse } from '@aws-sdk/client-lambda';
import { AwsError } from '../../../protocols/index.js';
import type { InvokeResult } from '../../../shared/invoker.js';
import { type LambdaApiDeps, notFound, resolveFunction } from './deps.js';

/** The published version a qualifier (version number or alias) runs, with that version's runtime. */
export type ResolveQualifier = (
  name: string,
  qualifier: string,
) => { version: string; runtime: string } | undefined;

/**
 * The error document a function error answers with: the Node runtime's `{errorType, errorMessage, trace}`, the
 * Python runtime's `{errorMessage, errorType, requestId, stackTrace}`.
 */
function errorPayload(runtime: string, r: Extract<InvokeResult, { ok: false }>): string {
  if (runtime.startsWith('python')) {
    return JSON.stringify({
      errorMessage: r.errorMessage,
      errorType: r.errorType,
      requestId: r.requestId,
      stackTrace: [],
    });
  }
  return JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, trace: [] });
}

/**
 * Lambda's limits on an invocation's request payload: 6 MB synchronous, 1 MB asynchronous.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
const MAX_SYNC_PAYLOAD = 6_291_456;
const MAX_EVENT_PAYLOAD = 1_048_576;

function parseEvent(payload: Uint8Array | undefined, limit: number): unknown {
  if (payload !== undefined && payload.length > limit) {
    throw new AwsError(
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the Invoke operation`,
      413,
      { Type: 'User' },
    );
  }
  if (payload === undefined || payload.length === 0) return {};
  const text = Buffer.from(payload).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AwsError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`,
      400,
      { Type: 'User' },
    );
  }
}

/**
 * Invoke: `RequestResponse` (200 with the function's answer, or `X-Amz-Function-Error: Unhandled` and the error
 * document), `Event` (202 at once; the function runs on, a failure is logged, no retries) and `DryRun` (204).
 * `LogType: Tail` returns the last 4 KB of the invocation's log, base64, in `X-Amz-Log-Result`.
 *
 * A qualifier (the `Qualifier` parameter, or a qualified name or ARN: `name:3`, `…:function:name:live`) runs that
 * published version, or the version its alias points at; `ExecutedVersion` says which. An unknown qualifier is
 * ResourceNotFoundException.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export const invoke =
  (d: LambdaApiDeps, resolveQualifier: ResolveQualifier = () => undefined) =>
  async (input: InvocationRequest): Promise<InvocationResponse> => {
    const { f, qualifier } = resolveFunction(d, input.FunctionName as string, input.Qualifier);
    const name = f.spec.name;
    let executed = { version: '$LATEST', runtime: f.spec.runtime };
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      const v = resolveQualifier(name, qualifier);
      if (v === undefined) throw notFound(d, name, qualifier);
      executed = v;
    }
    // The runtime takes `name:version` as Lambda does; `$LATEST` is the bare name.
    const target = executed.version === '$LATEST' ? name : `${name}:${executed.version}`;
    const type = input.InvocationType ?? 'RequestResponse';
    const event = parseEvent(input.Payload, type === 'Event' ? MAX_EVENT_PAYLOAD : MAX_SYNC_PAYLOAD);
    if (type === 'DryRun') return { StatusCode: 204 };
    if (type === 'Event') {
      void d.invoker.invoke(target, event).then((r) => {
        if (!r.ok)
          d.log.warn(
            { functionName: name, requestId: r.requestId, errorType: r.errorType },
            'Event invocation failed',
          );
      });
      return { StatusCode: 202 };
    }
    const tail = input.LogType === 'Tail';
    const r = await d.invoker.invoke(target, event, tail ? { tail: true } : {});
    const logResult = tail && r.log !== undefined ? { LogResult: Buffer.from(r.log).toString('base64') } : {};
    if (r.ok) {
      const body = r.payload === undefined ? 'null' : JSON.stringify(r.payload);
      return { StatusCode: 200, ExecutedVersion: executed.version, Payload: Buffer.from(body), ...logResult };
    }
    if (r.kind === 'NotFound') {
      throw new AwsError('ResourceNotFoundException', r.errorMessage, 404, { Type: 'User' });
    }
    return {
      StatusCode: 200,
      ExecutedVersion: executed.version,
      FunctionError: 'Unhandled',
      Payload: Buffer.from(errorPayload(executed.runtime, r)),
      ...logResult,
    };
  };
