/**
 * Every response the gateway itself produces, in one place: status, API Gateway's exact `{"message":...}` body,
 * and the `$context.error.responseType` an access log shows for it.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export interface GatewayError {
  readonly statusCode: number;
  readonly message: string;
  readonly responseType: string;
}

function def(statusCode: number, message: string, responseType: string): GatewayError {
  return Object.freeze({ statusCode, message, responseType });
}

export const GATEWAY_ERRORS = Object.freeze({
  /** No stage, or no route matched (http-api-develop-routes.md). [unverified] responseType. */
  notFound: def(404, 'Not Found', 'NOT_FOUND'),
  /** JWT validation failed (http-api-jwt-authorizer.md, troubleshooting page's captured response). */
  unauthorized: def(401, 'Unauthorized', 'UNAUTHORIZED'),
  /** JWT valid but none of the route's scopes present (CDK authorizers README; floci's measurement). */
  forbidden: def(403, 'Forbidden', 'ACCESS_DENIED'),
  /** The function threw, crashed or returned something unusable (http-api-troubleshooting-lambda.md). */
  internal: def(500, 'Internal Server Error', 'INTEGRATION_FAILURE'),
  /** Integration timeout (captured in cortexlabs/cortex #1225). HTTP APIs answer 503, not REST's 504. */
  timeout: def(503, 'Service Unavailable', 'INTEGRATION_TIMEOUT'),
  /** [unverified] status is documented (http-api-throttling.md); this exact body is from memory. */
  throttled: def(429, 'Too Many Requests', 'THROTTLED'),
  /** [unverified] the 10 MB payload quota is documented; status and body follow REST APIs' 413. */
  payloadTooLarge: def(413, 'Request Entity Too Large', 'REQUEST_TOO_LARGE'),
  /** [unverified] the 10240-byte request line + header quota is documented; the status and body are our choice. */
  headersTooLarge: def(431, 'Request Header Fields Too Large', 'REQUEST_TOO_LARGE'),
  /** A request Node's HTTP parser could not read at all. [unverified] body. */
  badRequest: def(400, 'Bad Request', 'BAD_REQUEST_BODY'),
  /** An `Expect` other than `100-continue` (RFC 9110 §10.1.1). [unverified] what API Gateway answers; this is Node's status. */
  expectationFailed: def(417, 'Expectation Failed', 'BAD_REQUEST_BODY'),
});

/** The 10 MB payload quota ("HTTP API quotas", limits.md). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** "Total combined size of request line and header values": 10240 bytes (limits.md). */
export const MAX_REQUEST_LINE_AND_HEADER_BYTES = 10240;
/** OIDC discovery and JWKS endpoint timeouts: 1500 ms each (limits.md). */
export const DISCOVERY_TIMEOUT_MS = 1500;
/** "Response size from JWKS endpoint": 150000 bytes (limits.md). */
export const MAX_JWKS_BYTES = 150_000;

/** The JSON body API Gateway sends for one of its own errors, e.g. `{"message":"Not Found"}`. */
export function errorBody(error: GatewayError): string {
  return JSON.stringify({ message: error.message });
}
