import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickAuthorizeParams } from '../authorizeRequest.js';
import {
  appendCookie,
  authorizeOrRedirect,
  type FormBody,
  type HostedUi,
  sendPage,
  str,
} from '../context.js';
import { CSRF_FIELD } from '../cookies.js';
import { applyLook, pageCsp } from '../render.js';
import type { HostedUiPage, PageCtx } from './page.js';

const CSRF_ERROR = 'This form has expired or did not come from this page. Please try again.';

/** Fixed notices a page may show, chosen by key: nothing from the query is ever shown as is. */
const NOTICES: Record<string, string> = {
  confirmed: 'Your account is confirmed. Sign in to continue.',
  password_reset: 'Your password has been changed. Sign in with your new password.',
  code_sent: 'We have sent a code by email or text message. Enter it below.',
  signed_out: 'You have been signed out.',
};

/**
 * Serves a Hosted UI page as GET and POST. Both re-check the authorize parameters carried in the query; POST refuses
 * a missing or wrong CSRF token (403) before anything else. A failed post shows the page again with the values
 * posted, never the password or the CSRF field.
 */
export function mountPage(app: FastifyInstance, ui: HostedUi, page: HostedUiPage): void {
  /** Every page in the client's branding (else the pool's, else none), with the CSP that lets its stylesheet in. */
  const send = (ctx: PageCtx, status: number, html: string) => {
    const look = ui.service.branding.pageLook(ctx.auth.pool, ctx.auth.client);
    ctx.reply.header('content-security-policy', pageCsp(look?.css));
    return sendPage(ctx.reply, status, applyLook(html, look));
  };
  const context = (req: FastifyRequest, reply: FastifyReply): PageCtx | undefined => {
    const auth = authorizeOrRedirect(ui, pickAuthorizeParams(req.query), reply);
    if (!auth) return undefined;
    const username = str((req.query as Record<string, unknown>).username, 128);
    const csrf = ui.sessions.csrfForm(req.headers.cookie);
    if (csrf.setCookie) appendCookie(reply, csrf.setCookie);
    return { ui, req, reply, auth, csrf: csrf.field, username };
  };
  app.get(page.path, async (req, reply) => {
    const ctx = context(req, reply);
    if (!ctx) return reply;
    if (page.onGet && (await page.onGet(ctx))) return reply;
    const noticeKey = str((req.query as Record<string, unknown>).notice, 32);
    return send(ctx, 200, page.render(ctx, { notice: noticeKey ? NOTICES[noticeKey] : undefined }));
  });
  app.post(page.path, async (req, reply) => {
    const ctx = context(req, reply);
    if (!ctx) return reply;
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as FormBody;
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body))
      if (typeof v === 'string' && k !== 'password' && k !== CSRF_FIELD) values[k] = v;
    if (!ui.sessions.checkCsrf(req.headers.cookie, body[CSRF_FIELD])) {
      return send(ctx, 403, page.render(ctx, { error: CSRF_ERROR, values }));
    }
    const outcome = await page.handle(ctx, body);
    if (outcome.done) return reply;
    return send(
      ctx,
      outcome.status ?? 400,
      page.render(ctx, { ...outcome.state, values: { ...values, ...outcome.state.values } }),
    );
  });
}
