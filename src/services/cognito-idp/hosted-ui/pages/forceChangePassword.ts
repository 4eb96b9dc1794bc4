import type { UserRecord } from '../../../../store/index.js';
import { attributeField, attributeLabel, missingRequired, passwordField } from '../formFields.js';
import { renderForm } from '../render.js';
import { brand, failed, field, goTo, type HostedUiPage, messageOf, type PageCtx, pageUrl } from './page.js';
import { afterPassword, EXPIRED } from './steps.js';

/** The user this browser signed in as with a temporary password, while that step lasts and the user still needs it. */
function pendingNewPassword(ctx: PageCtx): UserRecord | undefined {
  const { service, sessions, clock } = ctx.ui;
  const p = sessions.load(ctx.req.headers.cookie)?.data.pendingNewPassword;
  if (!p || p.poolId !== ctx.auth.pool.id || p.expiresAt <= clock.now()) return undefined;
  const user = service.userBySub(p.poolId, p.sub);
  return user?.enabled && user.status === 'FORCE_CHANGE_PASSWORD' ? user : undefined;
}

/**
 * `/forceChangePassword`: a temporary password (FORCE_CHANGE_PASSWORD) is replaced before the first sign-in
 * completes, with any required attribute the user lacks, as RespondToAuthChallenge NEW_PASSWORD_REQUIRED does.
 * Without such a pending step the page sends the browser to /login.
 */
export const forceChangePasswordPage: HostedUiPage = {
  path: '/forceChangePassword',

  render(ctx, st) {
    const user = pendingNewPassword(ctx);
    return renderForm({
      brand: brand(ctx.auth),
      title: 'Change your password',
      intro: 'You signed in with a temporary password. Choose a new password to continue.',
      action: pageUrl('/forceChangePassword', ctx.auth),
      csrf: ctx.csrf,
      fields: [
        ...missingRequired(ctx.auth.pool, user).map((a) => attributeField(a, st.values?.[a])),
        passwordField(ctx.auth.pool, 'new', 'New password'),
      ],
      submit: 'Change password and sign in',
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    });
  },

  async handle(ctx, body) {
    const { service } = ctx.ui;
    const user = pendingNewPassword(ctx);
    if (!user) return failed(EXPIRED);
    const password = field(body, 'password', 256);
    if (!password) return failed('Enter a new password.');
    const { pool } = ctx.auth;
    const attributes: Record<string, string> = {};
    for (const a of missingRequired(pool, user)) {
      const v = field(body, a).trim();
      if (!v) return failed(`Enter your ${attributeLabel(a).toLowerCase()}.`);
      attributes[a] = v;
    }
    try {
      // The same checks and state change as RespondToAuthChallenge NEW_PASSWORD_REQUIRED: policy, then CONFIRMED.
      service.accounts.adminSetUserPassword(pool.id, user.username, password, true);
      if (Object.keys(attributes).length) {
        await service.accounts.adminUpdateUserAttributes(pool.id, user.username, attributes);
      }
    } catch (err) {
      return failed(messageOf(err));
    }
    const confirmed = service.userBySub(pool.id, user.sub) ?? user;
    return afterPassword(ctx, confirmed, confirmed.username);
  },

  async onGet(ctx) {
    if (pendingNewPassword(ctx)) return false;
    await goTo(ctx, '/login');
    return true;
  },
};
