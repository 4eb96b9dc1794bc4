import { FUNCTION_TIMED_OUT, type InvokeResult } from '../../shared/invoker.js';
import { errorBody, GATEWAY_ERRORS, type GatewayError } from './errors.js';

/** An HTTP response as plain values: header names lowercased, repeated headers (set-cookie) as arrays. */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Set when the gateway produced the response itself (an error); feeds `$context.error.*` in access logs. */
  error?: GatewayError;
  /** Why the integration's answer was not used, for `$context.integrationErrorMessage`. Never sent to clients. */
  integrationErrorMessage?: string;
}

/** One of API Gateway's own `{"message":...}` responses. */
export function errorResponse(
  error: GatewayError,
  extraHeaders: Record<string, string> = {},
): GatewayResponse {
  return {
    statusCode: error.statusCode,
    headers: { 'content-type': 'application/json', ...extraHeaders },
    body: Buffer.from(errorBody(error)),
    error,
  };
}

function unusable(reason: string): GatewayResponse {
  return { ...errorResponse(GATEWAY_ERRORS.internal), integrationErrorMessage: reason };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Maps a Lambda result to the HTTP response an HTTP API sends, for payload format 2.0. Pure.
 *
 * - A result with `statusCode` is the full form: `statusCode`, `headers`, `cookies` (each its own `set-cookie`),
 *   `isBase64Encoded` and a string `body`.
 * - Any other JSON result is inferred: 200, `content-type: application/json`, the string kept as is, anything
 *   else serialised. A `null` result (a handler that returns nothing) therefore answers `null` [unverified].
 * - A thrown error, a crashed worker, a function past its own Timeout or an unusable result: 500
 *   `{"message":"Internal Server Error"}`; the integration timeout: 503 `{"message":"Service Unavailable"}`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function mapInvokeResult(result: InvokeResult): GatewayResponse {
  if (!result.ok) {
    const message = `${result.errorType}: ${result.errorMessage}`;
    // Only the integration timeout is a 503. A function that ran past its own Timeout is a function error
    // (Lambda's "Task timed out"), which API Gateway answers with a 500 like any other.
    if (result.kind === 'Timeout' && result.errorType !== FUNCTION_TIMED_OUT) {
      return { ...errorResponse(GATEWAY_ERRORS.timeout), integrationErrorMessage: message };
    }
    return unusable(message);
  }
  const payload = result.payload;
  if (!isRecord(payload) || !('statusCode' in payload)) {
    if (payload === undefined) return inferred('null');
    if (typeof payload === 'string') return inferred(payload);
    return inferred(JSON.stringify(payload));
  }
  const { statusCode, headers, cookies, body, isBase64Encoded } = payload;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return unusable('The response from the Lambda function has an invalid statusCode');
  }
  const out: Record<string, string | string[]> = {};
  if (headers !== undefined && headers !== null) {
    if (!isRecord(headers)) return unusable('The response from the Lambda function has invalid headers');
    for (const [name, value] of Object.entries(headers)) {
      const s = scalarString(value);
      if (s === undefined || !isHeaderSafe(name, s)) {
        return unusable(`The response from the Lambda function has an invalid header: ${name}`);
      }
      const lower = name.toLowerCase();
      // Framing is the gateway's business: the function cannot set hop-by-hop headers or the length.
      if (!HOP_BY_HOP.has(lower)) out[lower] = s;
    }
  }
  if (cookies !== undefined && cookies !== null) {
    if (
      !Array.isArray(cookies) ||
      !cookies.every((c) => typeof c === 'string' && isHeaderSafe('set-cookie', c))
    ) {
      return unusable('The response from the Lambda function has invalid cookies');
    }
    const own = out['set-cookie'];
    out['set-cookie'] = [...(own === undefined ? [] : [own].flat()), ...(cookies as string[])];
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return unusable('The response from the Lambda function has a body that is not a string');
  }
  const text = typeof body === 'string' ? body : '';
  return {
    statusCode,
    headers: out,
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text),
  };
}

function inferred(body: string): GatewayResponse {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

// Node refuses to write header names or values with control characters; such a result is unusable, not a crash.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Node's own rule (validateHeaderValue): tab, visible ASCII and Latin-1 only.
const BAD_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/;
function isHeaderSafe(name: string, value: string): boolean {
  return TOKEN.test(name) && !BAD_VALUE.test(value);
}
