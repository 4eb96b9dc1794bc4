/**
 * The Hosted UI exists for a pool only while the pool has a domain. On AWS the Hosted UI and the OAuth 2.0
 * endpoints live at `https://<prefix>.auth.<region>.amazoncognito.com`, which CreateUserPoolDomain creates and
 * DeleteUserPoolDomain removes: a pool without a domain has no Hosted UI at all. Locally one host serves every pool,
 * keyed by the client a request names, so the gate finds that client's pool and answers 404 when it has no domain.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html
 */
import { decodeJwt } from 'jose';
import type { IdpService } from '../service/index.js';

interface GateRequest {
  query: unknown;
  body: unknown;
  headers: { authorization?: string | undefined };
}

const field = (o: unknown, name: string): string | undefined => {
  const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * The client a Hosted UI request names: `client_id` in the query or the form, the user of Basic credentials, or
 * the `client_id` claim of a Bearer access token (read only to find the pool; the endpoint verifies the token).
 */
export function clientIdOf(req: GateRequest): string | undefined {
  const named = field(req.query, 'client_id') ?? field(req.body, 'client_id');
  if (named !== undefined) return named;
  const auth = req.headers.authorization?.trim() ?? '';
  const basic = /^basic (.+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    try {
      return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  const bearer = /^bearer (\S+)$/i.exec(auth);
  if (bearer) {
    try {
      const claim = decodeJwt(bearer[1] as string).client_id;
      return typeof claim === 'string' ? claim : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether the request names a known client whose pool has no domain: then the Hosted UI is not there for it.
 * A request that names no client, or an unknown one, passes on to the page or endpoint, which answers it as before.
 */
export function poolHasNoDomain(service: IdpService, req: GateRequest): boolean {
  const id = clientIdOf(req);
  const client = id === undefined ? undefined : service.findClient(id);
  return client !== undefined && service.pools.domainOf(client.poolId) === undefined;
}
