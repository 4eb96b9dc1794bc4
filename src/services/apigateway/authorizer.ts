import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Clock } from '../../shared/clock.js';
import type { AuthorizerSpec } from '../cloudformation/types.js';
import { tokenScopes } from './event.js';
import type { KeySource } from './jwks.js';

/** Where tokens of a template issuer are checked: the `iss` they must carry and the discovery document. */
export interface ResolvedIssuer {
  /** The `iss` tokens must carry. */
  issuer: string;
  /** Where the issuer's OpenID Connect discovery document is served. */
  discoveryUrl: string;
}

/** Maps the issuer written in the template to the one tokens carry locally (supplied by the lead). */
export type ResolveIssuer = (issuerFromTemplate: string) => ResolvedIssuer;

/**
 * The default mapping: the issuer as given, discovery at `<issuer>/.well-known/openid-configuration` over HTTP(S),
 * as for any non-Cognito OIDC issuer.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export const defaultResolveIssuer: ResolveIssuer = (issuer) => ({
  issuer,
  discoveryUrl: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
});

/** HTTP API JWT authorizers accept RSA signatures only ("Currently, only RSA-based algorithms are supported"). */
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;

export type AuthResult =
  | { ok: true; claims: JWTPayload }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string; reason: string };

/** How to read the identity sources of a request. */
export interface IdentityInput {
  /** Header value by lowercased name (repeated headers comma-joined). */
  header(name: string): string | undefined;
  /** Query parameter value by name (repeated keys comma-joined). */
  query(name: string): string | undefined;
}

export interface JwtAuthorizer {
  authorize(input: IdentityInput, routeScopes: readonly string[]): Promise<AuthResult>;
}

/**
 * The `error_description` texts. Only the audience one is published (http-api-troubleshooting-jwt.md's
 * captured response); the others are [unverified] wording of the same style. Never includes the token.
 */
const DESCRIPTIONS = {
  missing: 'the token is missing',
  malformed: 'the token is malformed',
  algorithm: 'the token is signed with an unsupported algorithm',
  kid: 'the token was not signed by a key of the issuer',
  signature: 'the token signature is invalid',
  issuer: 'the token does not have a valid issuer',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
  noExpiry: 'the token has no expiry',
  notYetValid: 'the token is not valid yet',
  issuedInFuture: 'the token was issued in the future',
  scope: 'the token does not have the required scope',
} as const;

function unauthorized(reason: keyof typeof DESCRIPTIONS): AuthResult {
  const d = DESCRIPTIONS[reason];
  return {
    ok: false,
    status: 401,
    wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${d}"`,
    reason: d,
  };
}

function forbidden(routeScopes: readonly string[]): AuthResult {
  // [unverified] the 403 header: RFC 6750 §3.1's insufficient_scope, naming the scopes the route accepts.
  return {
    ok: false,
    status: 403,
    wwwAuthenticate: `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="${DESCRIPTIONS.scope}"`,
    reason: DESCRIPTIONS.scope,
  };
}

const SOURCE = /^\$request\.(header|querystring)\.(.+)$/;

/** Tokens whose signature was verified, per authorizer; the oldest goes first beyond this many. */
const VERIFIED_TOKENS = 1024;

export interface JwtAuthorizerOptions {
  spec: AuthorizerSpec;
  /** The issuer after the lead's mapping. */
  issuer: string;
  keys: KeySource;
  clock: Clock;
}

/**
 * An HTTP API JWT authorizer, in the order the developer guide gives: identity source (token with or without
 * `Bearer `), decode, RSA algorithm and signature against the issuer's JWKS (`kid` must be there), `iss`, `aud`
 * or `client_id` in the audience list, `exp` (required), `nbf` and `iat` (checked when present), then the route's
 * scopes (any one of them in `scope` or `scp`, else 403). Misconfiguration throws here, naming the authorizer.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function createJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
  const { spec, issuer, keys, clock } = options;
  if (spec.type !== 'JWT')
    throw new Error(`authorizer ${spec.logicalId}: type ${spec.type} is not a JWT authorizer`);
  if (spec.audience.length === 0)
    throw new Error(`authorizer ${spec.logicalId}: JwtConfiguration.Audience is empty`);
  const sources = (
    spec.identitySource.length > 0 ? spec.identitySource : ['$request.header.Authorization']
  ).map((s) => {
    const m = SOURCE.exec(s);
    if (!m) throw new Error(`authorizer ${spec.logicalId}: unsupported identity source ${s}`);
    return {
      where: m[1] as 'header' | 'querystring',
      name: m[1] === 'header' ? (m[2] as string).toLowerCase() : (m[2] as string),
    };
  });
  const audience = new Set(spec.audience);
  const getKey = (header: Parameters<KeySource['getKey']>[0]) => keys.getKey(header);
  /** Verified tokens and their payloads, for the key set generation they were verified under. */
  const verified = new Map<string, JWTPayload>();
  let verifiedGeneration: number | undefined;

  return {
    async authorize(input, routeScopes) {
      let raw: string | undefined;
      for (const s of sources) {
        raw = s.where === 'header' ? input.header(s.name) : input.query(s.name);
        if (raw !== undefined && raw !== '') break;
      }
      if (raw === undefined || raw.trim() === '') return unauthorized('missing');
      // "The identitySource can include only the token, or the token prefixed with Bearer."
      let token = raw.trim();
      if (/^bearer(\s|$)/i.test(token)) token = token.slice(6).trim();
      if (token === '') return unauthorized('missing');

      const nowMs = clock.now();
      const now = Math.floor(nowMs / 1000);
      // A token seen before, verified under the key set there is now: the signature and the claims that never
      // change need no new RSA verification; the time claims, issuer, audience and scopes are checked again below.
      const generation = keys.generation?.();
      if (generation !== verifiedGeneration) {
        verified.clear();
        verifiedGeneration = generation;
      }
      let payload = generation === undefined ? undefined : verified.get(token);
      if (payload === undefined) {
        let header: ReturnType<typeof decodeProtectedHeader>;
        try {
          header = decodeProtectedHeader(token);
        } catch {
          return unauthorized('malformed');
        }
        if (!header.alg || !(RSA_ALGORITHMS as readonly string[]).includes(header.alg))
          return unauthorized('algorithm');
        // "kid: The token must have a header claim that matches the key in the jwks_uri that signed the token."
        if (typeof header.kid !== 'string' || header.kid === '') return unauthorized('kid');
        try {
          ({ payload } = await jwtVerify(token, getKey, {
            algorithms: [...RSA_ALGORITHMS],
            issuer,
            currentDate: new Date(nowMs),
            requiredClaims: ['exp'],
          }));
        } catch (err) {
          return unauthorized(reasonOf(err));
        }
        // Cached under the generation it was verified with (a fetch during the verification may have moved it).
        if (generation !== undefined && keys.generation?.() === generation) {
          if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value as string);
          verified.set(token, payload);
        }
      }
      const problem = claimsProblem(payload, now, issuer, audience);
      if (problem) {
        if (problem === 'expired') verified.delete(token);
        return unauthorized(problem);
      }

      if (routeScopes.length > 0) {
        const have = new Set(tokenScopes(payload));
        if (!routeScopes.some((s) => have.has(s))) return forbidden(routeScopes);
      }
      return { ok: true, claims: payload };
    },
  };
}

/**
 * The claim checks of every request, on a freshly verified token and on a cached one alike: `iss`,
 * `nbf` (not before), `exp` (required: expired once now >= exp), `iat` (not in the future), then `aud` or `client_id`.
 * jose's own checks (the same rules, with no clock tolerance) ran at verification; these repeat them against now.
 */
function claimsProblem(
  payload: JWTPayload,
  now: number,
  issuer: string,
  audience: ReadonlySet<string>,
): keyof typeof DESCRIPTIONS | undefined {
  if (payload.iss !== issuer) return 'issuer';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now))
    return 'notYetValid';
  if (typeof payload.exp !== 'number') return 'noExpiry';
  if (payload.exp <= now) return 'expired';
  // jose only checks iat's type; the authorizer also refuses a token issued in the future.
  if (typeof payload.iat === 'number' && payload.iat > now) return 'issuedInFuture';
  if (!audienceMatches(payload, audience)) return 'audience';
  return undefined;
}

/**
 * `aud` (string or array) must be one of the configured audiences; only a token without `aud` (a Cognito access
 * token) is judged by its `client_id` instead. "API Gateway validates client_id only if aud is not present. When
 * both aud and client_id are present, API Gateway evaluates aud."
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html
 */
function audienceMatches(payload: JWTPayload, audience: ReadonlySet<string>): boolean {
  const aud = payload.aud;
  if (aud !== undefined) {
    const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    return auds.some((a) => audience.has(a));
  }
  const clientId = payload.client_id;
  return typeof clientId === 'string' && audience.has(clientId);
}

function reasonOf(err: unknown): keyof typeof DESCRIPTIONS {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'issuer';
    if (err.claim === 'nbf') return 'notYetValid';
    if (err.claim === 'exp') return err.reason === 'missing' ? 'noExpiry' : 'expired';
    return 'malformed';
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'kid';
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'malformed';
  // The issuer's keys could not be fetched (down, timeout, bad document): API Gateway denies the request.
  return 'kid';
}
