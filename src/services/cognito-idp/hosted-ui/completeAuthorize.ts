import type { Clock } from '../../../shared/clock.js';
import type { UserRecord } from '../../../store/index.js';
import { type IdpService, type IssueRequest, sha256 } from '../service/index.js';
import { type AuthorizeRequest, withFragment, withQuery } from './authorizeRequest.js';
import { randomToken } from './cookies.js';
import { CODE_TTL_MS } from './policy.js';
import type { OAuthStore } from './store.js';

/**
 * A mint request for a Hosted UI sign-in: IssueRequest with `authTime` (epoch seconds of the sign-in on the form)
 * required rather than optional. TokenService.issue (src/services/cognito-idp/service/tokens.ts) stamps it as the
 * tokens' `auth_time` and records it for refreshes, and falls back to the mint time without it; requiring it here
 * means no Hosted UI path (code exchange, implicit grant) can forget it and stamp the exchange instead.
 */
export type LoginIssueRequest = IssueRequest & { authTime: number };

/**
 * Finishes an authorize request for a signed-in user: the URL of the client's callback that the browser is sent to,
 * with a one-time code in the query (code grant, stored by its hash for 5 minutes) or the tokens in the fragment
 * (implicit grant). `authTime` is the sign-in on the form, in epoch seconds.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export async function completeAuthorize(
  deps: { service: IdpService; store: Pick<OAuthStore, 'insertCode'>; clock: Clock },
  auth: AuthorizeRequest,
  user: UserRecord,
  authTime: number,
): Promise<string> {
  const { service, store, clock } = deps;
  const q = new URLSearchParams();
  if (auth.responseType === 'code') {
    const code = randomToken();
    store.insertCode({
      codeHash: sha256(code),
      poolId: auth.pool.id,
      clientId: auth.client.id,
      sub: user.sub,
      redirectUri: auth.redirectUri,
      scopes: auth.scopes,
      nonce: auth.nonce,
      codeChallenge: auth.codeChallenge,
      authTime,
      expiresAt: clock.now() + CODE_TTL_MS,
    });
    q.set('code', code);
    if (auth.state !== undefined) q.set('state', auth.state);
    return withQuery(auth.redirectUri, q);
  }
  const request: LoginIssueRequest = {
    pool: auth.pool,
    client: auth.client,
    user,
    scopes: auth.scopes,
    withRefreshToken: false,
    withIdToken: auth.scopes.includes('openid'),
    ...(auth.nonce !== undefined ? { nonce: auth.nonce } : {}),
    atHash: true,
    apiFlow: false,
    triggerSource: 'TokenGeneration_HostedAuth',
    authTime,
  };
  const issued = await service.tokens.issue(request);
  // Cognito's order and its lowercase `bearer` in the fragment (authorization-endpoint.md examples); the token
  // endpoint's JSON says `Bearer`.
  if (issued.idToken) q.set('id_token', issued.idToken);
  q.set('access_token', issued.accessToken);
  q.set('token_type', 'bearer');
  q.set('expires_in', String(issued.expiresIn));
  if (auth.state !== undefined) q.set('state', auth.state);
  return withFragment(auth.redirectUri, q);
}
