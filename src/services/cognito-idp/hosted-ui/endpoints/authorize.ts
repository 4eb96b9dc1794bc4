import { pickAuthorizeParams } from '../authorizeRequest.js';
import { completeAuthorize } from '../completeAuthorize.js';
import { authorizeOrRedirect, sessionUser } from '../context.js';
import { pageUrl } from '../pages/page.js';
import type { HostedUiEndpoint } from './endpoint.js';

/**
 * `GET /oauth2/authorize`: checks the request (a bad client or redirect_uri is an error page, anything later an
 * `error=` redirect), then sends a browser already signed in to the pool straight back to the client, and any other
 * to /login with the parameters carried on.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
export const authorizeEndpoint: HostedUiEndpoint = {
  path: '/oauth2/authorize',
  methods: ['GET'],
  async handle(ui, req, reply) {
    const auth = authorizeOrRedirect(ui, pickAuthorizeParams(req.query), reply);
    if (!auth) return reply;
    const s = sessionUser(ui, req.headers.cookie, auth.pool);
    if (s) return reply.redirect(await completeAuthorize(ui, auth, s.user, s.authTime), 302);
    return reply.redirect(pageUrl('/login', auth), 302);
  },
};
