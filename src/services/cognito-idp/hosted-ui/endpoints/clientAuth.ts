import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientRecord, PoolRecord } from '../../../../store/index.js';
import type { IdpService } from '../../service/index.js';
import type { FormBody } from '../context.js';
import { OAuthError } from '../errors.js';

/** A parameter given once, or undefined; RFC 6749 §3.2 forbids repeating one. */
export function param(body: FormBody, name: string): string | undefined {
  const v = body[name];
  if (Array.isArray(v)) throw new OAuthError('invalid_request', `Parameter ${name} is repeated`);
  return v === undefined || v === '' ? undefined : v;
}

/** application/x-www-form-urlencoded decoding of one Basic credential part (RFC 6749 §2.3.1). */
function formDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of two strings of any length (their hashes are compared). */
export const safeEqual = (a: string, b: string): boolean => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
};

/**
 * Authenticates the client of a token or revocation request: `client_secret_basic` or `client_secret_post` (never
 * both), or a public client's `client_id` alone. Failures are `invalid_client`, 401 with `WWW-Authenticate: Basic`
 * when Basic was used.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function authenticateClient(
  service: IdpService,
  authorization: string | undefined,
  body: FormBody,
): { client: ClientRecord; pool: PoolRecord } {
  let id = param(body, 'client_id');
  let secret = param(body, 'client_secret');
  const basic = authorization !== undefined && /^basic /i.test(authorization);
  const invalid = (why: string) =>
    new OAuthError(
      'invalid_client',
      why,
      basic ? 401 : 400,
      basic ? { 'www-authenticate': 'Basic realm="oauth2"' } : {},
    );
  if (basic) {
    if (secret !== undefined) {
      throw new OAuthError('invalid_request', 'Use one client authentication method, not both');
    }
    const decoded = Buffer.from((authorization as string).slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalid('Malformed Basic credentials');
    const basicId = formDecode(decoded.slice(0, colon));
    secret = formDecode(decoded.slice(colon + 1));
    if (!basicId || secret === undefined) throw invalid('Malformed Basic credentials');
    if (id !== undefined && id !== basicId)
      throw new OAuthError('invalid_request', 'client_id does not match the credentials');
    id = basicId;
  } else if (authorization !== undefined) {
    throw invalid('Unsupported Authorization scheme');
  }
  if (!id) throw invalid('Client authentication is required');
  const client = service.findClient(id);
  if (!client) throw invalid('Client authentication failed');
  if (client.secret) {
    if (secret === undefined || !safeEqual(secret, client.secret))
      throw invalid('Client authentication failed');
  } else if (secret !== undefined) {
    throw invalid('Client authentication failed');
  }
  const pool = service.findPool(client.poolId);
  if (!pool) throw invalid('Client authentication failed');
  return { client, pool };
}
