/**
 * The Hosted UI and the OAuth2/OIDC endpoints of the local user pools. The lead's CLI runs
 * {@link startHostedUiServer} on its own port, with the same IdpService as the JSON API; its origin is
 * `urls.hostedUiBase()` (endpoints.json's `hostedUiUrl`).
 */
export type { AuthorizeParams, AuthorizeRequest } from './authorize.js';
export { AUTHORIZE_PARAMS, checkAuthorize } from './authorize.js';
export { CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE } from './cookies.js';
export type { FormBody, TokenResponse } from './endpoints.js';
export { OAuthEndpoints } from './endpoints.js';
export { OAuthError, PageError } from './errors.js';
export { CODE_TTL_MS, SESSION_TTL_MS } from './policy.js';
export type { HostedUiLog, HostedUiOptions, RunningHostedUi } from './server.js';
export { createHostedUiServer, listenHttp, startHostedUi, startHostedUiServer } from './server.js';
export type { OAuthStore } from './store.js';
