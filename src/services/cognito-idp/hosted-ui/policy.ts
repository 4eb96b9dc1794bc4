/**
 * The Hosted UI's and OAuth endpoints' fixed rules and every [unverified] choice about them, in one place.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
import type { ClientRecord, ResourceServerRecord } from '../../../store/index.js';
import { asBool, asStrings } from '../service/settings.js';

/** Authorization codes are single use and live 5 minutes. */
export const CODE_TTL_MS = 5 * 60_000;
/** The Hosted UI session cookie lasts 1 hour. */
export const SESSION_TTL_MS = 3600_000;
/**
 * PKCE is optional for every client, as in Cognito (it is recommended, never enforced). When a challenge is sent it
 * must be S256.
 */
export const PKCE_METHODS = ['S256'] as const;
/** Login form posts allowed per client address per window, before the pool's own per-user lockout. */
export const DEFAULT_LOGIN_THROTTLE = { max: 30, windowMs: 60_000 } as const;

/** Cognito's reserved scopes; phone, email and profile only mean something with openid. */
export const RESERVED_SCOPES = [
  'openid',
  'email',
  'phone',
  'profile',
  'aws.cognito.signin.user.admin',
] as const;
const NEED_OPENID = new Set(['email', 'phone', 'profile']);

export const oauthEnabled = (client: ClientRecord): boolean =>
  asBool(client.config.AllowedOAuthFlowsUserPoolClient, false);
export const oauthFlows = (client: ClientRecord): string[] => asStrings(client.config.AllowedOAuthFlows);
export const callbackUrls = (client: ClientRecord): string[] => asStrings(client.config.CallbackURLs);
export const logoutUrls = (client: ClientRecord): string[] => asStrings(client.config.LogoutURLs);
export const allowedScopes = (client: ClientRecord): string[] => asStrings(client.config.AllowedOAuthScopes);

/** Without SupportedIdentityProviders the client is taken to allow native users (CDK always writes COGNITO). */
export function supportsCognitoUsers(client: ClientRecord): boolean {
  const idps = asStrings(client.config.SupportedIdentityProviders);
  return idps.length === 0 || idps.includes('COGNITO');
}

/** Every scope the pool knows: the reserved ones plus `<resource server>/<scope>`. */
export function knownScopes(servers: readonly ResourceServerRecord[]): Set<string> {
  const out = new Set<string>(RESERVED_SCOPES);
  for (const s of servers) for (const sc of s.scopes) out.add(`${s.identifier}/${sc.ScopeName}`);
  return out;
}

export type ScopeResult = { ok: true; scopes: string[] } | { ok: false; description: string };

/**
 * The scopes an authorize or client_credentials request is granted. No `scope` means every scope of the client.
 * Unknown scopes are ignored; a known scope the client may not use is `invalid_scope` [unverified: Cognito's exact
 * answer]; email/phone/profile are dropped without openid; nothing left is `invalid_scope`.
 */
export function grantScopes(
  client: ClientRecord,
  servers: readonly ResourceServerRecord[],
  requested: string | undefined,
  opts: { customOnly: boolean },
): ScopeResult {
  const known = knownScopes(servers);
  const allowed = allowedScopes(client).filter(
    (s) => known.has(s) && (!opts.customOnly || !(RESERVED_SCOPES as readonly string[]).includes(s)),
  );
  let wanted: string[];
  if (requested === undefined || requested.trim() === '') {
    wanted = allowed;
  } else {
    wanted = [];
    for (const s of requested.split(' ').filter(Boolean)) {
      if (!known.has(s)) continue;
      if (!allowed.includes(s)) return { ok: false, description: `The client is not allowed the scope ${s}` };
      if (!wanted.includes(s)) wanted.push(s);
    }
  }
  if (!opts.customOnly && !wanted.includes('openid')) wanted = wanted.filter((s) => !NEED_OPENID.has(s));
  if (wanted.length === 0) return { ok: false, description: 'No valid scope was requested' };
  return { ok: true, scopes: wanted };
}
