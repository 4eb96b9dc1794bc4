import { pickAuthorizeParams } from '../authorizeRequest.js';
import { appendCookie, authorizeOrRedirect, sendPage, str } from '../context.js';
import { PageError } from '../errors.js';
import { pageUrl } from '../pages/page.js';
import { logoutUrls } from '../policy.js';
import { renderErrorPage } from '../render.js';
import type { HostedUiEndpoint } from './endpoint.js';

/**
 * `GET /logout`: signs the browser out (its session is deleted and the cookie cleared), then sends it to a registered
 * `logout_uri`, or with `redirect_uri` and `response_type` to /login for a new sign-in.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html
 */
export const logoutEndpoint: HostedUiEndpoint = {
  path: '/logout',
  methods: ['GET'],
  async handle(ui, req, reply) {
    const { service } = ui;
    const q = req.query as Record<string, unknown>;
    const clientId = str(q.client_id, 128);
    const client = clientId ? service.findClient(clientId) : undefined;
    if (!client)
      throw new PageError(400, 'Invalid request', 'The client_id is missing or not a known app client.');
    const clear = () => appendCookie(reply, ui.sessions.end(req.headers.cookie));
    const logoutUri = str(q.logout_uri);
    if (logoutUri !== undefined) {
      if (!logoutUrls(client).includes(logoutUri)) {
        throw new PageError(
          400,
          'Invalid request',
          'The logout_uri is not one of the sign-out URLs registered for this app client.',
        );
      }
      clear();
      return reply.redirect(logoutUri, 302);
    }
    if (q.redirect_uri !== undefined || q.response_type !== undefined) {
      const auth = authorizeOrRedirect(ui, pickAuthorizeParams(q), reply);
      if (!auth) return reply;
      clear();
      return reply.redirect(pageUrl('/login', auth), 302);
    }
    // Neither target: Cognito requires logout_uri or redirect_uri (logout-endpoint.html) and shows its error page
    // with this message, yet the browser is signed out all the same (reported in streamlit/streamlit#14601).
    // [unverified: the error page's status; Cognito redirects to /error first.]
    clear();
    return sendPage(
      reply,
      400,
      renderErrorPage('Invalid request', "Required String parameter 'redirect_uri' is not present"),
    );
  },
};
