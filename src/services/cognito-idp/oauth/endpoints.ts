import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';
import type { ClientRecord, PoolRecord } from '../../../store/index.js';
import { CognitoError, NotAuthorizedException, UnsupportedOperationException } from '../errors.js';
import { type IdpService, type IssueRequest, sha256 } from '../service/index.js';
import { allowedFlows, OIDC_SCOPE_CLAIMS, readableAttributes } from '../service/settings.js';
import { OAuthError } from './errors.js';
import { grantScopes, oauthEnabled, oauthFlows } from './policy.js';
import type { OAuthStore } from './store.js';

/**
 * A mint request for a Hosted UI sign-in: IssueRequest with `authTime` (epoch seconds of the sign-in on the form)
 * required rather than optional. TokenService.issue (src/services/cognito-idp/service/tokens.ts) stamps it as the tokens' `auth_time`
 * and records it for refreshes, and falls back to the mint time without it; requiring it here means no Hosted UI path
 * (code exchange, implicit grant) can forget it and stamp the exchange instead.
 */
export type LoginIssueRequest = IssueRequest & { authTime: number };

/** The token endpoint's JSON answer (RFC 6749 §5.1 with Cognito's field set). */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** A form body as @fastify/formbody parses it: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** A parameter given once, or undefined; RFC 6749 §3.2 forbids repeating one. */
function param(body: FormBody, name: string): string | undefined {
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

const safeEqual = (a: string, b: string): boolean => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
};

/** The attributes each OIDC scope releases at userInfo (OIDC Core §5.4), as Cognito applies them. */
const SCOPE_ATTRIBUTES: Record<string, readonly string[]> = OIDC_SCOPE_CLAIMS;

/**
 * What userInfo returns for an access token's scopes: `openid` alone releases every attribute the client can read;
 * with profile, email or phone only those scopes' attributes (undefined means "no scope limit").
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html
 */
export function userInfoAttributes(scopes: readonly string[]): Set<string> | undefined {
  const limiting = scopes.filter((s) => SCOPE_ATTRIBUTES[s] !== undefined);
  if (limiting.length === 0) return undefined;
  return new Set(limiting.flatMap((s) => SCOPE_ATTRIBUTES[s] ?? []));
}

const isJwt = (t: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

/**
 * The token, revocation and userInfo endpoints on plain values (headers and a parsed form body), throwing
 * {@link OAuthError}. Every token comes from the service's one mint; every check of a user comes from the service.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export class OAuthEndpoints {
  constructor(
    private readonly service: IdpService,
    private readonly store: OAuthStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Authenticates the client: `client_secret_basic` or `client_secret_post` (never both), or a public client's
   * `client_id` alone. Failures are `invalid_client`, 401 with `WWW-Authenticate: Basic` when Basic was used.
   */
  authenticateClient(
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
    const client = this.service.findClient(id);
    if (!client) throw invalid('Client authentication failed');
    if (client.secret) {
      if (secret === undefined || !safeEqual(secret, client.secret))
        throw invalid('Client authentication failed');
    } else if (secret !== undefined) {
      throw invalid('Client authentication failed');
    }
    const pool = this.service.findPool(client.poolId);
    if (!pool) throw invalid('Client authentication failed');
    return { client, pool };
  }

  /**
   * `POST /oauth2/token`: authorization_code (with PKCE S256), refresh_token and client_credentials.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
   * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
   */
  async token(authorization: string | undefined, body: FormBody): Promise<TokenResponse> {
    const grantType = param(body, 'grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
    const { client, pool } = this.authenticateClient(authorization, body);
    switch (grantType) {
      case 'authorization_code':
        return this.#authorizationCode(client, pool, body);
      case 'refresh_token':
        return this.#refresh(client, body);
      case 'client_credentials':
        return this.#clientCredentials(client, pool, body);
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `grant_type ${grantType.slice(0, 64)} is not supported`,
        );
    }
  }

  async #authorizationCode(client: ClientRecord, pool: PoolRecord, body: FormBody): Promise<TokenResponse> {
    if (!oauthEnabled(client) || !oauthFlows(client).includes('code')) {
      throw new OAuthError('unauthorized_client', 'The client is not allowed the authorization code grant');
    }
    const code = param(body, 'code');
    const redirectUri = param(body, 'redirect_uri');
    const verifier = param(body, 'code_verifier');
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
    const now = this.clock.now();
    const codeHash = sha256(code);
    const used = this.store.useCode(codeHash, now);
    const invalid = () =>
      new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used');
    if (!used.ok) {
      // RFC 6749 §4.1.2: a replayed code revokes the tokens it was exchanged for.
      if (used.reason === 'replayed' && used.code.originJti) {
        this.service.revokeSignIn(used.code.originJti);
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
    const user = this.service.userBySub(pool.id, rec.sub);
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
    const issued = await this.#mapCognito(() => this.service.tokens.issue(request));
    // A replay that came while the tokens were minted revokes them too, as one after the exchange does.
    if (this.store.setCodeOrigin(codeHash, issued.originJti).replayed)
      this.service.revokeSignIn(issued.originJti);
    return {
      ...(issued.idToken ? { id_token: issued.idToken } : {}),
      access_token: issued.accessToken,
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      expires_in: issued.expiresIn,
      token_type: 'Bearer',
    };
  }

  async #refresh(client: ClientRecord, body: FormBody): Promise<TokenResponse> {
    const token = param(body, 'refresh_token');
    if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
    if (!allowedFlows(client).has('REFRESH_TOKEN_AUTH')) {
      throw new OAuthError('unauthorized_client', 'The client is not allowed to refresh tokens');
    }
    const refreshed = await this.#mapCognito(
      () =>
        this.service.tokens.refresh(client, token, {
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

  async #clientCredentials(client: ClientRecord, pool: PoolRecord, body: FormBody): Promise<TokenResponse> {
    if (!oauthEnabled(client) || !oauthFlows(client).includes('client_credentials') || !client.secret) {
      throw new OAuthError('unauthorized_client', 'The client is not allowed the client_credentials grant');
    }
    const scopes = grantScopes(client, this.service.pools.resourceServers(pool.id), param(body, 'scope'), {
      customOnly: true,
    });
    if (!scopes.ok) throw new OAuthError('invalid_scope', scopes.description);
    const minted = await this.#mapCognito(() =>
      this.service.tokens.issueClientCredentials(pool, client, scopes.scopes),
    );
    return { access_token: minted.accessToken, expires_in: minted.expiresIn, token_type: 'Bearer' };
  }

  /**
   * `POST /oauth2/revoke`: ends a refresh token and every access token of its sign-in. Unknown tokens succeed
   * (RFC 7009 §2.2); access tokens are `unsupported_token_type`, as in Cognito.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
   */
  revoke(authorization: string | undefined, body: FormBody): void {
    const { client } = this.authenticateClient(authorization, body);
    const token = param(body, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    if (isJwt(token)) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked');
    try {
      this.service.tokens.revoke(client, token);
    } catch (err) {
      if (err instanceof UnsupportedOperationException) {
        throw new OAuthError('invalid_request', 'Token revocation is not enabled for this app client');
      }
      if (err instanceof NotAuthorizedException) {
        throw new OAuthError('invalid_request', 'The token was not issued to this client');
      }
      throw err;
    }
  }

  /**
   * `GET|POST /oauth2/userInfo`: the user's attributes the client may read, for an access token with `openid`.
   * Values are strings, as Cognito returns them (`"email_verified": "true"`), plus `username`.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html
   */
  async userInfo(authorization: string | undefined): Promise<Record<string, string>> {
    const m =
      authorization === undefined ? null : /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
    if (!m?.[1]) {
      throw new OAuthError('invalid_request', 'An access token is required', 400, {
        'www-authenticate': 'Bearer error="invalid_request", error_description="An access token is required"',
      });
    }
    let verified: Awaited<ReturnType<IdpService['tokens']['verifyAccess']>>;
    try {
      verified = await this.service.tokens.verifyAccess(m[1], 'openid');
    } catch (err) {
      if (!(err instanceof CognitoError)) throw err;
      const description =
        'Access token is expired, disabled, or deleted, or the user has globally signed out.';
      throw new OAuthError('invalid_token', description, 401, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
      });
    }
    const { user, clientId, scopes } = verified;
    const client = this.service.findClient(clientId);
    const readable = client ? readableAttributes(client) : undefined;
    const byScope = userInfoAttributes(scopes);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(user.attributes)) {
      if (k === 'sub') continue;
      if ((!readable || readable.has(k)) && (!byScope || byScope.has(k))) out[k] = v;
    }
    out.sub = user.sub;
    out.username = user.username;
    return out;
  }

  /** A CognitoError from the service (e.g. a trigger's refusal) becomes an OAuth error with its message. */
  async #mapCognito<T>(
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
}
