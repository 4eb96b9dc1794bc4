import type { ClientRecord, PoolRecord } from '../../../store/index.js';
import type { IdpService } from '../service/index.js';
import { PageError } from './errors.js';
import {
  callbackUrls,
  grantScopes,
  oauthEnabled,
  oauthFlows,
  PKCE_METHODS,
  supportsCognitoUsers,
} from './policy.js';

/**
 * The authorize request's parameters. The Hosted UI pages carry them in their own query string (as Cognito's
 * `/login?client_id=…&redirect_uri=…` does), so every page can re-check them and finish the flow statelessly.
 */
export const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'identity_provider',
] as const;

export type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

/** A checked authorize request: what the code or implicit response is issued for. */
export interface AuthorizeRequest {
  pool: PoolRecord;
  client: ClientRecord;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  params: AuthorizeParams;
}

/** An error for the client, sent to its (verified) redirect URI as Cognito's `error=` redirect. */
export interface AuthorizeRedirectError {
  redirectUri: string;
  responseType: string | undefined;
  error: string;
  description: string;
  state: string | undefined;
}

export type AuthorizeResult =
  | { ok: true; req: AuthorizeRequest }
  | { ok: false; redirect: AuthorizeRedirectError };

const MAX_PARAM = 2048;
const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * Picks the authorize parameters from a query; anything else is dropped. A repeated one is an error page (RFC 6749
 * §3.1: parameters must not be included more than once), since which client or URI was meant is then unclear.
 */
export function pickAuthorizeParams(query: unknown): AuthorizeParams {
  const out: AuthorizeParams = {};
  if (typeof query !== 'object' || query === null) return out;
  const q = query as Record<string, unknown>;
  for (const name of AUTHORIZE_PARAMS) {
    const v = q[name];
    if (Array.isArray(v)) throw new PageError(400, 'Invalid request', `The parameter ${name} is repeated.`);
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/** `?client_id=…&…` for the pages' links and form actions. */
export function authorizeQuery(params: AuthorizeParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const name of AUTHORIZE_PARAMS) {
    const v = params[name];
    if (v !== undefined) q.set(name, v);
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `?${q.toString()}`;
}

/**
 * Checks an authorize request in Cognito's order. A missing or unknown client, or a redirect_uri that is not exactly
 * one of the client's CallbackURLs, throws a {@link PageError}: such a request is never redirected anywhere. Every
 * later problem becomes an `error=` redirect to the verified URI.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export function checkAuthorize(service: IdpService, params: AuthorizeParams): AuthorizeResult {
  for (const name of AUTHORIZE_PARAMS) {
    if ((params[name]?.length ?? 0) > MAX_PARAM)
      throw new PageError(400, 'Invalid request', `${name} is too long.`);
  }
  const clientId = params.client_id;
  if (!clientId) throw new PageError(400, 'Invalid request', 'The request has no client_id.');
  const client = service.findClient(clientId);
  if (!client) throw new PageError(400, 'Invalid request', 'The client_id is not a known app client.');
  const pool = service.findPool(client.poolId);
  if (!pool) throw new PageError(400, 'Invalid request', 'The client_id is not a known app client.');
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !callbackUrls(client).includes(redirectUri)) {
    throw new PageError(
      400,
      'Invalid request',
      'The redirect_uri is missing or is not one of the callback URLs registered for this app client.',
    );
  }
  const fail = (error: string, description: string): AuthorizeResult => ({
    ok: false,
    redirect: { redirectUri, responseType: params.response_type, error, description, state: params.state },
  });
  const responseType = params.response_type;
  if (!responseType) return fail('invalid_request', 'response_type is required');
  if (responseType !== 'code' && responseType !== 'token') {
    return fail('unsupported_response_type', 'response_type must be code or token');
  }
  const flow = responseType === 'code' ? 'code' : 'implicit';
  if (!oauthEnabled(client) || !oauthFlows(client).includes(flow)) {
    return fail('unauthorized_client', `The client is not allowed the ${flow} flow`);
  }
  if (params.identity_provider !== undefined && params.identity_provider !== 'COGNITO') {
    return fail('invalid_request', 'Only the COGNITO identity provider is available locally');
  }
  if (!supportsCognitoUsers(client)) {
    return fail('unauthorized_client', 'The client does not support the COGNITO identity provider');
  }
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (challenge !== undefined || method !== undefined) {
    if (responseType !== 'code') return fail('invalid_request', 'PKCE applies to the code flow only');
    if (challenge === undefined)
      return fail('invalid_request', 'code_challenge is required with code_challenge_method');
    if (method === undefined) return fail('invalid_request', 'code_challenge_method is required');
    if (!(PKCE_METHODS as readonly string[]).includes(method)) {
      return fail('invalid_request', 'code_challenge_method must be S256');
    }
    if (!PKCE_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge is malformed');
  }
  const scopes = grantScopes(client, service.pools.resourceServers(pool.id), params.scope, {
    customOnly: false,
  });
  if (!scopes.ok) return fail('invalid_scope', scopes.description);
  return {
    ok: true,
    req: {
      pool,
      client,
      redirectUri,
      responseType,
      scopes: scopes.scopes,
      state: params.state,
      nonce: params.nonce,
      codeChallenge: challenge,
      params,
    },
  };
}

/** The `error=` redirect: in the query for the code flow, in the fragment for the implicit flow. */
export function errorRedirectUrl(e: AuthorizeRedirectError): string {
  const q = new URLSearchParams({ error: e.error, error_description: e.description });
  if (e.state !== undefined) q.set('state', e.state);
  return e.responseType === 'token' ? withFragment(e.redirectUri, q) : withQuery(e.redirectUri, q);
}

/** Adds parameters to a URL's query, keeping the registered URI's own query. */
export function withQuery(uri: string, q: URLSearchParams): string {
  const url = new URL(uri);
  for (const [k, v] of q) url.searchParams.append(k, v);
  return url.toString();
}

export function withFragment(uri: string, q: URLSearchParams): string {
  const url = new URL(uri);
  url.hash = q.toString();
  return url.toString();
}
