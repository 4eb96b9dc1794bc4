import { createHash } from 'node:crypto';
import type { ClientRecord, PoolRecord } from '../../../../store/index.js';
import { CognitoError } from '../../errors.js';
import { sha256 } from '../../service/index.js';
import { allowedFlows } from '../../service/settings.js';
import type { LoginIssueRequest } from '../completeAuthorize.js';
import type { FormBody, HostedUi } from '../context.js';
import { OAuthError } from '../errors.js';
import { grantScopes, oauthEnabled, oauthFlows } from '../policy.js';
import { authenticateClient, param, safeEqual } from './clientAuth.js';
import type { HostedUiEndpoint } from './endpoint.js';
import { authorizationHeader, formBody, sendJson } from './json.js';

/** The token endpoint's JSON answer (RFC 6749 §5.1 with Cognito's field set). */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

type TokenDeps = Pick<HostedUi, 'service' | 'store' | 'clock'>;

/**
 * `POST /oauth2/token` on plain values: authorization_code (with PKCE S256), refresh_token and client_credentials.
 * Every token comes from the service's one mint; failures are {@link OAuthError}s.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
export async function token(
  deps: TokenDeps,
  authorization: string | undefined,
  body: FormBody,
): Promise<TokenResponse> {
  const grantType = param(body, 'grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  const { client, pool } = authenticateClient(deps.service, authorization, body);
  switch (grantType) {
    case 'authorization_code':
      return authorizationCode(deps, client, pool, body);
    case 'refresh_token':
      return refresh(deps, client, body);
    case 'client_credentials':
      return clientCredentials(deps, client, pool, body);
    default:
      throw new OAuthError('unsupported_grant_type', `grant_type ${grantType.slice(0, 64)} is not supported`);
  }
}

async function authorizationCode(
  deps: TokenDeps,
  client: ClientRecord,
  pool: PoolRecord,
  body: FormBody,
): Promise<TokenResponse> {
  const { service, store, clock } = deps;
  if (!oauthEnabled(client) || !oauthFlows(client).includes('code')) {
    throw new OAuthError('unauthorized_client', 'The client is not allowed the authorization code grant');
  }
  const code = param(body, 'code');
  const redirectUri = param(body, 'redirect_uri');
  const verifier = param(body, 'code_verifier');
  if (!code) throw new OAuthError('invalid_request', 'code is required');
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
  const now = clock.now();
  const codeHash = sha256(code);
  const used = store.useCode(codeHash, now);
  const invalid = () =>
    new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used');
  if (!used.ok) {
    // RFC 6749 §4.1.2: a replayed code revokes the tokens it was exchanged for.
    if (used.reason === 'replayed' && used.code.originJti) {
      service.revokeSignIn(used.code.originJti);
    }
    throw invalid();
  }
  const rec = used.code;
  if (rec.clientId !== client.id || rec.poolId !== pool.id || rec.expiresAt <= now) throw invalid();
  if (rec.redirectUri !== redirectUri) throw invalid();
  if (rec.codeChallenge !== undefined) {
    if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw invalid();
    const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (!safeEqual(computed, rec.codeChallenge)) throw invalid();
  } else if (verifier !== undefined) {
    // OAuth 2.1: a verifier for a code issued without a challenge is a sign of an injected code.
    throw invalid();
  }
  const user = service.userBySub(pool.id, rec.sub);
  if (!user?.enabled) throw invalid();
  const request: LoginIssueRequest = {
    pool,
    client,
    user,
    scopes: rec.scopes,
    withRefreshToken: true,
    withIdToken: rec.scopes.includes('openid'),
    ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}),
    atHash: true,
    apiFlow: false,
    triggerSource: 'TokenGeneration_HostedAuth',
    // auth_time is the sign-in on the form, not this exchange (reference §3c).
    authTime: rec.authTime,
  };
  const issued = await mapCognito(() => service.tokens.issue(request));
  // A replay that came while the tokens were minted revokes them too, as one after the exchange does.
  if (store.setCodeOrigin(codeHash, issued.originJti).replayed) service.revokeSignIn(issued.originJti);
  return {
    ...(issued.idToken ? { id_token: issued.idToken } : {}),
    access_token: issued.accessToken,
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    expires_in: issued.expiresIn,
    token_type: 'Bearer',
  };
}

async function refresh(deps: TokenDeps, client: ClientRecord, body: FormBody): Promise<TokenResponse> {
  const token = param(body, 'refresh_token');
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
  if (!allowedFlows(client).has('REFRESH_TOKEN_AUTH')) {
    throw new OAuthError('unauthorized_client', 'The client is not allowed to refresh tokens');
  }
  const refreshed = await mapCognito(
    () =>
      deps.service.tokens.refresh(client, token, {
        apiFlow: false,
        rotate: true,
        triggerSource: 'TokenGeneration_RefreshTokens',
      }),
    'invalid_grant',
  );
  return {
    ...(refreshed.idToken ? { id_token: refreshed.idToken } : {}),
    access_token: refreshed.accessToken,
    // Only with refresh-token rotation on (reference §3b).
    ...(refreshed.refreshToken ? { refresh_token: refreshed.refreshToken } : {}),
    expires_in: refreshed.expiresIn,
    token_type: 'Bearer',
  };
}

async function clientCredentials(
  deps: TokenDeps,
  client: ClientRecord,
  pool: PoolRecord,
  body: FormBody,
): Promise<TokenResponse> {
  const { service } = deps;
  if (!oauthEnabled(client) || !oauthFlows(client).includes('client_credentials') || !client.secret) {
    throw new OAuthError('unauthorized_client', 'The client is not allowed the client_credentials grant');
  }
  const scopes = grantScopes(client, service.pools.resourceServers(pool.id), param(body, 'scope'), {
    customOnly: true,
  });
  if (!scopes.ok) throw new OAuthError('invalid_scope', scopes.description);
  const minted = await mapCognito(() => service.tokens.issueClientCredentials(pool, client, scopes.scopes));
  return { access_token: minted.accessToken, expires_in: minted.expiresIn, token_type: 'Bearer' };
}

/** A CognitoError from the service (e.g. a trigger's refusal) becomes an OAuth error with its message. */
async function mapCognito<T>(
  fn: () => Promise<T>,
  code: 'invalid_request' | 'invalid_grant' = 'invalid_request',
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CognitoError && err.statusCode < 500) throw new OAuthError(code, err.message);
    throw err;
  }
}

/** `POST /oauth2/token`: form in, JSON out. */
export const tokenEndpoint: HostedUiEndpoint = {
  path: '/oauth2/token',
  methods: ['POST'],
  handle: async (ui, req, reply) => sendJson(reply, await token(ui, authorizationHeader(req), formBody(req))),
};
