import type { InvokeResult } from '../../shared/invoker.js';
import { FUNCTION_TIMED_OUT } from '../../shared/invoker.js';

/**
 * Lambda's limit on a synchronous invocation's response.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** A UTF-8 character takes at most 3 bytes per UTF-16 unit, so most responses skip the byte count. */
export function tooLarge(json: string): boolean {
  return json.length * 3 > MAX_RESPONSE_BYTES && Buffer.byteLength(json) > MAX_RESPONSE_BYTES;
}

/** A runtime's response body: JSON as Lambda's runtimes write it; anything else is passed on as text. */
export function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

export function failure(
  kind: Exclude<InvokeResult, { ok: true }>['kind'],
  requestId: string,
  errorType: string,
  errorMessage: string,
): InvokeResult {
  return { ok: false, kind, errorType, errorMessage, requestId };
}

export function notFound(requestId: string, arn: string): InvokeResult {
  return failure('NotFound', requestId, 'ResourceNotFoundException', `Function not found: ${arn}`);
}

export function closed(requestId: string): InvokeResult {
  return failure('Crash', requestId, 'Runtime.Closed', 'The local Lambda runtime was closed');
}

export function timedOut(
  requestId: string,
  phase: 'Task' | 'Init',
  seconds: number,
  now: Date,
): InvokeResult {
  return failure(
    'Timeout',
    requestId,
    FUNCTION_TIMED_OUT,
    `${now.toISOString()} ${requestId} ${phase} timed out after ${seconds.toFixed(2)} seconds`,
  );
}

/**
 * CloudWatch's REPORT line for one invocation.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */
export function reportLine(o: {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryMb: number;
  initMs: number | undefined;
  status: string | undefined;
}): string {
  let line = `REPORT RequestId: ${o.requestId}\tDuration: ${o.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(o.durationMs))} ms\tMemory Size: ${o.memorySize} MB\tMax Memory Used: ${o.maxMemoryMb} MB`;
  if (o.initMs !== undefined) line += `\tInit Duration: ${o.initMs.toFixed(2)} ms`;
  if (o.status !== undefined) line += `\t${o.status}`;
  return line;
}
