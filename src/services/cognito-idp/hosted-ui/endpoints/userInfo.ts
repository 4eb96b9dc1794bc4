import { CognitoError } from '../../errors.js';
import type { IdpService } from '../../service/index.js';
import { OIDC_SCOPE_CLAIMS, readableAttributes } from '../../service/settings.js';
import type { HostedUi } from '../context.js';
import { OAuthError } from '../errors.js';
import type { HostedUiEndpoint } from './endpoint.js';
import { authorizationHeader, sendJson } from './json.js';

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

/**
 * `GET|POST /oauth2/userInfo` on plain values: the user's attributes the client may read, for an access token with
 * `openid`. Values are strings, as Cognito returns them (`"email_verified": "true"`), plus `username`.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/userinfo-endpoint.html
 */
export async function userInfo(
  deps: Pick<HostedUi, 'service'>,
  authorization: string | undefined,
): Promise<Record<string, string>> {
  const { service } = deps;
  const m =
    authorization === undefined ? null : /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization.trim());
  if (!m?.[1]) {
    throw new OAuthError('invalid_request', 'An access token is required', 400, {
      'www-authenticate': 'Bearer error="invalid_request", error_description="An access token is required"',
    });
  }
  let verified: Awaited<ReturnType<IdpService['tokens']['verifyAccess']>>;
  try {
    verified = await service.tokens.verifyAccess(m[1], 'openid');
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    const description = 'Access token is expired, disabled, or deleted, or the user has globally signed out.';
    throw new OAuthError('invalid_token', description, 401, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    });
  }
  const { user, clientId, scopes } = verified;
  const client = service.findClient(clientId);
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

/** `GET|POST /oauth2/userInfo`: a bearer token in, JSON out. */
export const userInfoEndpoint: HostedUiEndpoint = {
  path: '/oauth2/userInfo',
  methods: ['GET', 'POST'],
  handle: async (ui, req, reply) => sendJson(reply, await userInfo(ui, authorizationHeader(req))),
};
