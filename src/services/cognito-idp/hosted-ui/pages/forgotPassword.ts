import { usernameField } from '../formFields.js';
import { renderForm } from '../render.js';
import { brand, failed, field, goTo, type HostedUiPage, messageOf, pageUrl } from './page.js';

/**
 * `/forgotPassword`: asks for the username and sends a reset code (ForgotPassword), then goes on to
 * /confirmForgotPassword.
 */
export const forgotPasswordPage: HostedUiPage = {
  path: '/forgotPassword',

  render: (ctx, st) =>
    renderForm({
      brand: brand(ctx.auth),
      title: 'Reset your password',
      intro: 'Enter your username and we will send you a code to reset your password.',
      action: pageUrl('/forgotPassword', ctx.auth),
      csrf: ctx.csrf,
      fields: [usernameField(ctx.auth.pool, st.values?.username ?? ctx.username)],
      submit: 'Send code',
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    }),

  async handle(ctx, body) {
    const username = field(body, 'username', 128).trim();
    if (!username) return failed('Enter your username.');
    try {
      await ctx.ui.service.accounts.forgotPassword(ctx.auth.client, username);
      return await goTo(ctx, '/confirmForgotPassword', { username, notice: 'code_sent' });
    } catch (err) {
      return failed(messageOf(err));
    }
  },
};
