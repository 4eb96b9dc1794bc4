import type { CorsSpec } from '../cloudformation/types.js';

/**
 * CORS for an HTTP API with a CorsConfiguration. API Gateway answers preflight `OPTIONS` requests itself, even
 * with no OPTIONS route, adds the configured headers to every other response and ignores the CORS headers the
 * backend returns.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */

/** A CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, header: (name: string) => string | undefined): boolean {
  return (
    method === 'OPTIONS' &&
    header('origin') !== undefined &&
    header('access-control-request-method') !== undefined
  );
}

/** The value of `access-control-allow-origin` for this origin, or undefined when it is not allowed. */
function allowedOrigin(cors: CorsSpec, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.allowOrigins.includes(origin)) return origin;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return undefined;
}

/**
 * Headers of the gateway's own preflight answer (status 204 [unverified]). An origin that is not allowed gets
 * no CORS headers, so the browser refuses the call.
 */
export function preflightHeaders(
  cors: CorsSpec,
  header: (name: string) => string | undefined,
): Record<string, string> {
  const origin = allowedOrigin(cors, header('origin'));
  if (origin === undefined) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (origin !== '*') out.vary = 'origin';
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.allowMethods.length > 0) {
    out['access-control-allow-methods'] = cors.allowMethods.includes('*')
      ? (header('access-control-request-method') as string)
      : cors.allowMethods.join(',');
  }
  const requested = header('access-control-request-headers');
  if (cors.allowHeaders.length > 0) {
    out['access-control-allow-headers'] =
      cors.allowHeaders.includes('*') && requested ? requested : cors.allowHeaders.join(',');
  }
  if (cors.exposeHeaders.length > 0) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (cors.maxAge !== undefined) out['access-control-max-age'] = String(cors.maxAge);
  return out;
}

/** Drops the backend's `access-control-*` headers and adds the configured ones for an allowed origin. */
export function applyCors(
  cors: CorsSpec,
  origin: string | undefined,
  headers: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!k.startsWith('access-control-')) out[k] = v;
  }
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return out;
  out['access-control-allow-origin'] = allowed;
  if (allowed !== '*') out.vary = out.vary ? `${out.vary}, origin` : 'origin';
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.exposeHeaders.length > 0) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  return out;
}
