import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import { NotAuthorizedException, UnsupportedOperationException, UserNotFoundException } from '../errors.js';
import { mintTokens, PoolTokenError, type PoolTokenPayload, verifyPoolToken } from '../tokens/mint.js';
import { RefreshTokenSealer } from '../tokens/refreshToken.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import {
  ADMIN_SCOPE,
  readableAttributes,
  refreshTokenRotation,
  tokenRevocationEnabled,
  tokenValidity,
} from './settings.js';

/** What the caller asks to be minted for a signed-in user. */
export interface IssueRequest {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** Access token scopes: `aws.cognito.signin.user.admin` for API flows, the granted OAuth scopes otherwise. */
  scopes: string[];
  /** Mint a refresh token (true for every sign-in except the implicit grant). */
  withRefreshToken: boolean;
  /** false when an OAuth flow lacks `openid`. Default true. */
  withIdToken?: boolean;
  /** Hosted UI: copied into the id token, with at_hash. */
  nonce?: string;
  /** When the user authenticated (seconds), if earlier than this mint: the Hosted UI's sign-in on the form. */
  authTime?: number;
  /** Hosted UI / token endpoint: at_hash in the id token. */
  atHash?: boolean;
  /** API flows carry an event_id; OAuth flows do not. */
  apiFlow: boolean;
  /** PreTokenGeneration trigger source, e.g. `TokenGeneration_Authentication`, `TokenGeneration_HostedAuth`. */
  triggerSource: string;
  /** The tracked device of an API sign-in: `device_key` in the access tokens, and refreshes must name it. */
  deviceKey?: string | undefined;
}

export interface IssuedTokens {
  accessToken: string;
  idToken: string | undefined;
  refreshToken: string | undefined;
  expiresIn: number;
  originJti: string;
}

/** An access token that passed every check: signature, issuer, expiry, revocation, user state. */
export interface VerifiedAccess {
  pool: PoolRecord;
  user: UserRecord;
  payload: PoolTokenPayload;
  clientId: string;
  scopes: string[];
}

/**
 * Token issuance and the life of a sign-in: every mint goes through here (JSON API, Hosted UI, token endpoint), so
 * revocation (RevokeToken, GlobalSignOut, /oauth2/revoke) ends the refresh token and every access token minted from
 * the same sign-in.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html
 */
export class TokenService {
  readonly #sealers = new Map<string, RefreshTokenSealer>();

  constructor(private readonly core: Core) {}

  /** The pool's refresh-token sealer, from its newest access key. */
  #sealer(poolId: string): RefreshTokenSealer {
    let s = this.#sealers.get(poolId);
    if (!s) {
      const key = this.core.store.pools
        .listKeys(poolId)
        .filter((k) => k.use === 'access')
        .at(-1);
      if (!key) throw new Error(`Pool ${poolId} has no access key`);
      s = RefreshTokenSealer.fromPrivateJwk(poolId, key.privateJwk);
      this.#sealers.set(poolId, s);
    }
    return s;
  }

  /** A new refresh token (JWE) of a sign-in and its stored record. */
  async #newRefreshToken(
    pool: PoolRecord,
    client: ClientRecord,
    sub: string,
    originJti: string,
    scopes: string[],
  ) {
    const now = this.core.now();
    const expiresAt = now + tokenValidity(client).refreshSec * 1000;
    const token = await this.#sealer(pool.id).seal({
      jti: this.core.ids.uuid(),
      clientId: client.id,
      nowMs: now,
      expiresAtMs: expiresAt,
    });
    const record = {
      tokenHash: sha256(token),
      originJti,
      poolId: pool.id,
      clientId: client.id,
      sub,
      scopes,
      expiresAt,
      createdAt: now,
    };
    return { token, record };
  }

  /** Groups for `cognito:groups`, by precedence (lowest first), then name. */
  groupsOf(user: UserRecord): string[] {
    return this.core.store.groups
      .groupsOfUser(user.poolId, user.ukey)
      .sort(
        (a, b) =>
          (a.precedence ?? Number.MAX_SAFE_INTEGER) - (b.precedence ?? Number.MAX_SAFE_INTEGER) ||
          a.name.localeCompare(b.name),
      )
      .map((g) => g.name);
  }

  /** A new sign-in: records it (its id is every token's origin_jti) and mints the tokens. */
  async issue(req: IssueRequest): Promise<IssuedTokens> {
    const now = this.core.now();
    const originJti = this.core.ids.uuid();
    const authTime = req.authTime ?? Math.floor(now / 1000);
    const validity = tokenValidity(req.client);
    const minted = await this.#mint(req, originJti, authTime);
    const refresh = req.withRefreshToken
      ? await this.#newRefreshToken(req.pool, req.client, req.user.sub, originJti, req.scopes)
      : undefined;
    this.core.store.tx(() => {
      this.core.store.tokens.insertAuthEvent({
        originJti,
        poolId: req.pool.id,
        clientId: req.client.id,
        sub: req.user.sub,
        authTime,
        deviceKey: req.deviceKey,
        // The sign-in must outlive every token minted from it: a refresh a moment before the refresh token expires
        // yields access and id tokens good for their own validity after that. The purge drops the record, and the
        // refresh token with it, only once this passes; the token itself still says it expired.
        expiresAt:
          now +
          ((req.withRefreshToken ? validity.refreshSec : 0) + Math.max(validity.accessSec, validity.idSec)) *
            1000,
      });
      if (refresh) this.core.store.tokens.insertRefreshToken(refresh.record);
    });
    const refreshToken = refresh?.token;
    return {
      accessToken: minted.accessToken,
      idToken: minted.idToken,
      refreshToken,
      expiresIn: minted.expiresIn,
      originJti,
    };
  }

  async #mint(req: IssueRequest, originJti: string, authTime: number) {
    const validity = tokenValidity(req.client);
    const groups = this.groupsOf(req.user);
    const override = await this.core.triggers(req.pool).preTokenGeneration({
      triggerSource: req.triggerSource,
      username: req.user.username,
      userAttributes: req.user.attributes,
      clientId: req.client.id,
      groups,
      scopes: req.scopes,
    });
    const readable = readableAttributes(req.client);
    const attributes = readable
      ? Object.fromEntries(
          Object.entries(req.user.attributes).filter(([k]) => readable.has(k) || k === 'sub'),
        )
      : req.user.attributes;
    return mintTokens(await this.core.signer(req.pool.id), this.core.now(), {
      issuer: this.core.urls.issuer(req.pool.id),
      clientId: req.client.id,
      sub: req.user.sub,
      username: req.user.username,
      attributes,
      groups,
      scopes: req.scopes,
      authTime,
      originJti,
      ...(req.apiFlow ? { eventId: this.core.ids.uuid() } : {}),
      ...(req.deviceKey !== undefined ? { deviceKey: req.deviceKey } : {}),
      ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
      ...(req.atHash ? { atHash: true } : {}),
      idTokenValiditySec: validity.idSec,
      accessTokenValiditySec: validity.accessSec,
      includeIdToken: req.withIdToken ?? true,
      ...override,
    });
  }

  /**
   * The client_credentials grant: an access token only, sub = client_id, no user, no refresh token.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
   */
  async issueClientCredentials(
    pool: PoolRecord,
    client: ClientRecord,
    scopes: string[],
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const validity = tokenValidity(client);
    const now = this.core.now();
    const minted = await mintTokens(await this.core.signer(pool.id), now, {
      issuer: this.core.urls.issuer(pool.id),
      clientId: client.id,
      sub: client.id,
      username: client.id,
      attributes: {},
      groups: [],
      scopes,
      authTime: Math.floor(now / 1000),
      originJti: this.core.ids.uuid(),
      idTokenValiditySec: validity.idSec,
      accessTokenValiditySec: validity.accessSec,
      includeIdToken: false,
      clientCredentials: true,
    });
    return { accessToken: minted.accessToken, expiresIn: minted.expiresIn };
  }

  /**
   * REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken and the refresh_token grant: new access and id tokens for the same
   * sign-in (same origin_jti and auth_time). Without rotation no new refresh token is returned. With the client's
   * RefreshTokenRotation ENABLED (and `rotate`), a new refresh token of the same sign-in comes back too; the one sent
   * stays usable for RetryGracePeriodSeconds after its first rotation, then is refused.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
   */
  async refresh(
    client: ClientRecord,
    refreshToken: string,
    opts: {
      triggerSource?: string;
      apiFlow: boolean;
      checkUser?: (user: UserRecord) => void;
      rotate?: boolean;
      /** The DEVICE_KEY / DeviceKey sent with the refresh. */
      deviceKey?: string | undefined;
    } = { apiFlow: true },
  ): Promise<IssuedTokens & { user: UserRecord; scopes: string[] }> {
    const now = this.core.now();
    const invalid = () => new NotAuthorizedException('Invalid Refresh Token');
    // The token speaks for its own expiry first: an expired one is refused as expired even once purged.
    const opened = await this.#sealer(client.poolId).open(refreshToken, now);
    if (!opened.ok) {
      if (opened.reason === 'expired') throw new NotAuthorizedException('Refresh Token has expired');
      throw invalid();
    }
    if (opened.clientId !== client.id) throw invalid();
    const tokenHash = sha256(refreshToken);
    const rec = this.core.store.tokens.getRefreshToken(tokenHash);
    if (!rec || rec.clientId !== client.id) throw invalid();
    const event = this.core.store.tokens.getAuthEvent(rec.originJti);
    if (!event || event.revoked) throw new NotAuthorizedException('Refresh Token has been revoked');
    if (rec.expiresAt <= now) throw new NotAuthorizedException('Refresh Token has expired');
    const rotation = opts.rotate ? refreshTokenRotation(client) : undefined;
    // A rotated-out token lives only the grace period (retries), on every path that accepts it.
    if (rec.rotatedAt !== undefined) {
      const grace = refreshTokenRotation(client)?.graceSec ?? 0;
      if (now >= rec.rotatedAt + grace * 1000) throw invalid();
    }
    const pool = this.core.requirePool(rec.poolId);
    const user = this.core.store.users.bySub(pool.id, rec.sub);
    if (!user) throw new NotAuthorizedException('User does not exist.');
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    opts.checkUser?.(user);
    // With device tracking the refresh token is bound to its device: it works only with that device's key, and not
    // at all once the device is forgotten (Cognito answers "Invalid Refresh Token" either way).
    if (event.deviceKey !== undefined) {
      const device = this.core.store.devices.get(pool.id, event.deviceKey);
      if (opts.deviceKey !== event.deviceKey || device?.ukey !== user.ukey) throw invalid();
    }
    const minted = await this.#mint(
      {
        pool,
        client,
        user,
        scopes: rec.scopes,
        withRefreshToken: false,
        withIdToken: rec.scopes.includes('openid') || rec.scopes.includes(ADMIN_SCOPE),
        apiFlow: opts.apiFlow,
        triggerSource: opts.triggerSource ?? 'TokenGeneration_RefreshTokens',
        deviceKey: event.deviceKey,
      },
      rec.originJti,
      event.authTime,
    );
    let rotated: string | undefined;
    if (rotation) {
      const next = await this.#newRefreshToken(pool, client, rec.sub, rec.originJti, rec.scopes);
      const validity = tokenValidity(client);
      const signInEnd = next.record.expiresAt + Math.max(validity.accessSec, validity.idSec) * 1000;
      const cutoff = now - rotation.graceSec * 1000;
      if (!this.core.store.tokens.rotateRefreshToken(tokenHash, next.record, signInEnd, now, cutoff)) {
        throw invalid();
      }
      rotated = next.token;
    }
    return {
      accessToken: minted.accessToken,
      idToken: minted.idToken,
      refreshToken: rotated,
      expiresIn: minted.expiresIn,
      originJti: rec.originJti,
      user,
      scopes: rec.scopes,
    };
  }

  /**
   * Revokes a refresh token and every access token minted from its sign-in. Unknown tokens succeed silently
   * (RFC 7009 §2.2); a token of another client is refused.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
   */
  revoke(client: ClientRecord, refreshToken: string): void {
    if (!tokenRevocationEnabled(client)) {
      throw new UnsupportedOperationException('Token revocation is not enabled for this app client.');
    }
    const rec = this.core.store.tokens.getRefreshToken(sha256(refreshToken));
    if (!rec) return;
    if (rec.clientId !== client.id) throw new NotAuthorizedException('Invalid Refresh Token');
    this.core.store.tokens.revokeAuthEvent(rec.originJti);
  }

  /** Ends every sign-in of the user: GlobalSignOut and AdminUserGlobalSignOut. */
  signOutEverywhere(user: UserRecord): void {
    this.core.store.tokens.revokeUserAuthEvents(user.poolId, user.sub);
  }

  /**
   * Checks an access token for the token-authorized operations (GetUser, ChangePassword, ...) and the userInfo
   * endpoint: signature and issuer of its pool, expiry, not revoked, user present and enabled, and the scope.
   */
  async verifyAccess(
    token: string,
    requiredScope: string | undefined = ADMIN_SCOPE,
  ): Promise<VerifiedAccess> {
    const invalid = () => new NotAuthorizedException('Invalid Access Token');
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw invalid();
    }
    if (typeof iss !== 'string') throw invalid();
    const poolId = iss.slice(iss.lastIndexOf('/') + 1);
    const pool = this.core.store.pools.get(poolId);
    if (!pool || this.core.urls.issuer(poolId) !== iss) throw invalid();
    let payload: PoolTokenPayload;
    try {
      payload = await verifyPoolToken(await this.core.signer(poolId), token, {
        issuer: iss,
        tokenUse: 'access',
        now: this.core.now(),
      });
    } catch (err) {
      if (err instanceof PoolTokenError && err.expired)
        throw new NotAuthorizedException('Access Token has expired');
      throw invalid();
    }
    const event =
      typeof payload.origin_jti === 'string'
        ? this.core.store.tokens.getAuthEvent(payload.origin_jti)
        : undefined;
    if (!event || event.revoked) throw new NotAuthorizedException('Access Token has been revoked');
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (requiredScope && !scopes.includes(requiredScope)) {
      throw new NotAuthorizedException('Access Token does not have required scopes');
    }
    const user =
      typeof payload.sub === 'string' ? this.core.store.users.bySub(pool.id, payload.sub) : undefined;
    if (!user) throw new UserNotFoundException('User does not exist.');
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    return { pool, user, payload, clientId: String(payload.client_id ?? event.clientId), scopes };
  }

  /** Cognito's AuthenticationResult from issued tokens. */
  static result(t: IssuedTokens): AuthenticationResultType {
    return {
      AccessToken: t.accessToken,
      ExpiresIn: t.expiresIn,
      TokenType: 'Bearer',
      ...(t.refreshToken ? { RefreshToken: t.refreshToken } : {}),
      ...(t.idToken ? { IdToken: t.idToken } : {}),
    };
  }
}
