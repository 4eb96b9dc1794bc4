/**
 * The one token mint for the JSON API, the Hosted UI and the token endpoint: Cognito's id and access token claim
 * sets, signed RS256 with the pool's per-use keys.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
import { createHash, randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { KeyUse, PoolSigner } from './keys.js';
import { SIGNING_ALG } from './keys.js';

export interface MintInput {
  issuer: string;
  clientId: string;
  sub: string;
  /** `cognito:username` / `username`: the internal UUID when email or phone is the username. */
  username: string;
  /** User attributes for the id token (email, email_verified as 'true'/'false', custom:*, ...). */
  attributes: Record<string, string>;
  groups: string[];
  /** Access token `scope` = scopes.join(' '). */
  scopes: string[];
  /** Seconds since the epoch of the original sign-in; preserved across refresh. */
  authTime: number;
  /** Ties tokens to their refresh token / sign-in, so revocation can end them. */
  originJti: string;
  /** API flows (InitiateAuth, RespondToAuthChallenge) carry an event id; OAuth flows do not. */
  eventId?: string;
  /** The sign-in's tracked device (DeviceConfiguration): the access token's `device_key`. */
  deviceKey?: string;
  /** Hosted UI: copied into the id token. Implies at_hash. */
  nonce?: string;
  /** Hosted UI / token endpoint: put at_hash into the id token even without a nonce. */
  atHash?: boolean;
  idTokenValiditySec: number;
  accessTokenValiditySec: number;
  /** false when an OAuth flow lacks the `openid` scope, and for client_credentials. */
  includeIdToken: boolean;
  /** Machine-to-machine: access token only, sub = client_id, no username. */
  clientCredentials?: boolean;
  /** PreTokenGeneration claimsOverrideDetails / idTokenGeneration. */
  idClaimsOverride?: { add?: Record<string, unknown>; suppress?: string[] };
  /** PreTokenGeneration V2 accessTokenGeneration. */
  accessClaimsOverride?: {
    add?: Record<string, unknown>;
    suppress?: string[];
    scopesToAdd?: string[];
    scopesToSuppress?: string[];
  };
  /** PreTokenGeneration groupOverrideDetails: replaces cognito:groups in both tokens. */
  groupOverride?: { groupsToOverride?: string[] };
}

export interface MintedTokens {
  accessToken: string;
  idToken?: string;
  /** Seconds; the access token's validity, as `ExpiresIn` / `expires_in`. */
  expiresIn: number;
  accessJti: string;
}

/**
 * Claims a PreTokenGeneration trigger may not add, override or suppress; Cognito keeps its own values.
 * [unverified] list assembled from the developer guide's pre token generation page; kept here, in one place.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
export const PROTECTED_CLAIMS: ReadonlySet<string> = new Set([
  'acr',
  'amr',
  'at_hash',
  'aud',
  'auth_time',
  'azp',
  'client_id',
  'cognito:groups',
  'cognito:preferred_role',
  'cognito:roles',
  'cognito:username',
  'event_id',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'scope',
  'sub',
  'token_use',
  'username',
  'version',
]);

/** Attributes that are booleans in the id token; every other attribute is a string, custom:* included. */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

/**
 * OIDC's at_hash: base64url of the left half of SHA-256 over the access token's ASCII octets.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
export function atHashOf(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

function applyOverride(
  claims: Record<string, unknown>,
  override: { add?: Record<string, unknown>; suppress?: string[] } | undefined,
): void {
  if (!override) return;
  for (const name of override.suppress ?? []) {
    if (!PROTECTED_CLAIMS.has(name)) delete claims[name];
  }
  for (const [name, value] of Object.entries(override.add ?? {})) {
    if (!PROTECTED_CLAIMS.has(name) && value !== undefined) claims[name] = value;
  }
}

function grantedScopes(input: MintInput): string[] {
  const o = input.accessClaimsOverride;
  const out = [...input.scopes];
  for (const s of o?.scopesToAdd ?? []) if (!out.includes(s)) out.push(s);
  const drop = new Set(o?.scopesToSuppress ?? []);
  return out.filter((s) => !drop.has(s));
}

async function sign(signer: PoolSigner, use: KeyUse, claims: JWTPayload): Promise<string> {
  const { kid, key } = signer.signingKey(use);
  // Cognito's header is exactly {kid, alg}: no typ.
  return new SignJWT(claims).setProtectedHeader({ kid, alg: SIGNING_ALG }).sign(key);
}

/**
 * Mints the access token and, unless `includeIdToken` is false, the id token, with Cognito's claim sets.
 * `now` is epoch ms from the injected clock; iat/exp/auth_time are whole seconds.
 */
export async function mintTokens(signer: PoolSigner, now: number, input: MintInput): Promise<MintedTokens> {
  // Misuse by the caller, not a bad request: fail loudly rather than mint tokens that are born expired.
  for (const field of ['idTokenValiditySec', 'accessTokenValiditySec'] as const) {
    if (!Number.isInteger(input[field]) || input[field] <= 0)
      throw new RangeError(`${field} must be a positive integer`);
  }
  const iat = Math.floor(now / 1000);
  const accessJti = randomUUID();
  const groups = input.groupOverride?.groupsToOverride ?? input.groups;
  const scope = grantedScopes(input).join(' ');

  let access: Record<string, unknown>;
  if (input.clientCredentials) {
    // [unverified] shape of M2M tokens: sub is the client id, there is no user, no username and no origin_jti.
    access = {
      sub: input.clientId,
      token_use: 'access',
      scope,
      auth_time: input.authTime,
      iss: input.issuer,
      exp: iat + input.accessTokenValiditySec,
      iat,
      version: 2,
      jti: accessJti,
      client_id: input.clientId,
    };
  } else {
    access = {
      sub: input.sub,
      ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
      ...(input.deviceKey !== undefined ? { device_key: input.deviceKey } : {}),
      iss: input.issuer,
      version: 2,
      client_id: input.clientId,
      origin_jti: input.originJti,
      ...(input.eventId !== undefined ? { event_id: input.eventId } : {}),
      token_use: 'access',
      scope,
      auth_time: input.authTime,
      exp: iat + input.accessTokenValiditySec,
      iat,
      jti: accessJti,
      username: input.username,
    };
  }
  applyOverride(access, input.accessClaimsOverride);
  const accessToken = await sign(signer, 'access', access as JWTPayload);

  if (!input.includeIdToken || input.clientCredentials) {
    return { accessToken, expiresIn: input.accessTokenValiditySec, accessJti };
  }

  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.attributes)) {
    // sub is the user's id and comes from input.sub; never let an attribute map shadow a protected claim.
    if (PROTECTED_CLAIMS.has(name)) continue;
    attributes[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : String(value);
  }
  const id: Record<string, unknown> = {
    sub: input.sub,
    ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
    ...attributes,
    iss: input.issuer,
    'cognito:username': input.username,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    origin_jti: input.originJti,
    aud: input.clientId,
    ...(input.eventId !== undefined ? { event_id: input.eventId } : {}),
    token_use: 'id',
    auth_time: input.authTime,
    ...(input.nonce !== undefined || input.atHash ? { at_hash: atHashOf(accessToken) } : {}),
    exp: iat + input.idTokenValiditySec,
    iat,
    jti: randomUUID(),
  };
  applyOverride(id, input.idClaimsOverride);
  const idToken = await sign(signer, 'id', id as JWTPayload);
  return { accessToken, idToken, expiresIn: input.accessTokenValiditySec, accessJti };
}

/** The claims of a verified pool token (access or id). */
export type PoolTokenPayload = JWTPayload & { token_use: 'access' | 'id'; [claim: string]: unknown };

/**
 * Thrown by {@link verifyPoolToken}. Carries no token text. `expired` lets the caller choose between Cognito's
 * "Access Token has expired" and "Invalid Access Token".
 */
export class PoolTokenError extends Error {
  override name = 'PoolTokenError';
  constructor(readonly expired: boolean) {
    super(expired ? 'token expired' : 'token invalid');
  }
}

/**
 * Verifies a token minted by this pool: RS256 only (alg none, HS256 and others are refused), signed by the pool's
 * key of the matching use (chosen by kid), the pool's issuer, not expired at `now` (epoch ms from the injected clock),
 * and the expected token_use. Throws {@link PoolTokenError} on any failure.
 */
export async function verifyPoolToken(
  signer: PoolSigner,
  token: string,
  expected: { issuer: string; tokenUse: 'access' | 'id'; now: number },
): Promise<PoolTokenPayload> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 16_384)
    throw new PoolTokenError(false);
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const found = typeof header.kid === 'string' ? signer.publicKey(header.kid) : undefined;
        // An id-token key must not vouch for an access token and vice versa.
        if (!found || found.use !== expected.tokenUse) throw new PoolTokenError(false);
        return found.key;
      },
      {
        algorithms: [SIGNING_ALG],
        issuer: expected.issuer,
        currentDate: new Date(expected.now),
        requiredClaims: ['exp', 'iat', 'token_use'],
      },
    );
    if (payload.token_use !== expected.tokenUse) throw new PoolTokenError(false);
    return payload as PoolTokenPayload;
  } catch (err) {
    if (err instanceof PoolTokenError) throw err;
    throw new PoolTokenError(err instanceof errors.JWTExpired);
  }
}
