import { codeField, hiddenUsernameField, passwordField, usernameField } from '../formFields.js';
import { renderForm } from '../render.js';
import { brand, failed, field, goTo, type HostedUiPage, messageOf, pageUrl } from './page.js';

/** `/confirmForgotPassword`: the reset code and a new password (ConfirmForgotPassword), then back to /login. */
export const confirmForgotPasswordPage: HostedUiPage = {
  path: '/confirmForgotPassword',

  render: (ctx, st) =>
    renderForm({
      brand: brand(ctx.auth),
      title: 'Choose a new password',
      action: pageUrl('/confirmForgotPassword', ctx.auth, ctx.username ? { username: ctx.username } : {}),
      csrf: ctx.csrf,
      fields: [
        ctx.username ? hiddenUsernameField(ctx.username) : usernameField(ctx.auth.pool, st.values?.username),
        codeField,
        passwordField(ctx.auth.pool, 'new', 'New password'),
      ],
      submit: 'Change password',
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    }),

  async handle(ctx, body) {
    const username = (ctx.username ?? field(body, 'username', 128)).trim();
    const code = field(body, 'code', 16).trim();
    const password = field(body, 'password', 256);
    if (!username || !code || !password) return failed('Enter the code and a new password.');
    try {
      await ctx.ui.service.accounts.confirmForgotPassword(ctx.auth.client, { username, code, password });
      return await goTo(ctx, '/login', { username, notice: 'password_reset' });
    } catch (err) {
      return failed(messageOf(err));
    }
  },
};
