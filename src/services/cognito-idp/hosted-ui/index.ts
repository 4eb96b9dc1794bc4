/**
 * The Hosted UI and the OAuth2/OIDC endpoints of the local user pools. The lead's CLI runs
 * {@link startHostedUiServer} on its own port, with the same IdpService as the JSON API; its origin is
 * `urls.hostedUiBase()` (endpoints.json's `hostedUiUrl`).
 *
 * - pages/: one file per page (`/login` is pages/login.ts), listed in pages/registry.ts;
 * - endpoints/: one file per OAuth2 endpoint (`/oauth2/token` is endpoints/token.ts), listed in endpoints/registry.ts;
 * - sessions.ts: browser sessions and CSRF; completeAuthorize.ts: the redirect back to the client;
 * - formFields.ts: the pages' shared fields; render.ts: the HTML; server.ts: the Fastify app that serves them all.
 */
export type { AuthorizeParams, AuthorizeRequest } from './authorizeRequest.js';
export { AUTHORIZE_PARAMS, checkAuthorize } from './authorizeRequest.js';
export { completeAuthorize, type LoginIssueRequest } from './completeAuthorize.js';
export type { FormBody, HostedUi } from './context.js';
export { CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE } from './cookies.js';
export type { HostedUiEndpoint } from './endpoints/endpoint.js';
export { HOSTED_UI_ENDPOINTS } from './endpoints/registry.js';
export { revoke } from './endpoints/revoke.js';
export { type TokenResponse, token } from './endpoints/token.js';
export { userInfo, userInfoAttributes } from './endpoints/userInfo.js';
export { OAuthError, PageError } from './errors.js';
export type { HostedUiPage, PageCtx, PageState } from './pages/page.js';
export { HOSTED_UI_PAGES } from './pages/registry.js';
export { CODE_TTL_MS, SESSION_TTL_MS } from './policy.js';
export type { HostedUiLog, HostedUiOptions, RunningHostedUi } from './server.js';
export { createHostedUiServer, listenHttp, startHostedUi, startHostedUiServer } from './server.js';
export { HostedUiSessions } from './sessions.js';
export type { OAuthStore } from './store.js';
