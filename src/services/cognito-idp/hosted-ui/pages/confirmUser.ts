import { codeField, hiddenUsernameField, usernameField } from '../formFields.js';
import { renderForm } from '../render.js';
import { brand, failed, field, goTo, type HostedUiPage, messageOf, pageUrl } from './page.js';
import { afterPassword } from './steps.js';

/**
 * `/confirmUser`: the verification code of a sign-up (ConfirmSignUp), or a new code (ResendConfirmationCode). The
 * browser that signed up, or that proved the password of an unconfirmed account, is signed in by confirming; any
 * other goes to /login.
 */
export const confirmUserPage: HostedUiPage = {
  path: '/confirmUser',

  render(ctx, st) {
    const username = st.values?.username ?? ctx.username;
    return renderForm({
      brand: brand(ctx.auth),
      title: 'Confirm your account',
      intro: ctx.username
        ? `Enter the verification code we sent you to finish creating the account ${ctx.username}.`
        : 'Enter the verification code we sent you to finish creating your account.',
      action: pageUrl('/confirmUser', ctx.auth, ctx.username ? { username: ctx.username } : {}),
      csrf: ctx.csrf,
      fields: [
        ctx.username ? hiddenUsernameField(ctx.username) : usernameField(ctx.auth.pool, username),
        codeField,
      ],
      submit: 'Confirm account',
      secondary: [{ name: 'resend', value: '1', label: 'Send a new code' }],
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    });
  },

  async handle(ctx, body) {
    const { service, sessions } = ctx.ui;
    const { pool, client } = ctx.auth;
    const username = (ctx.username ?? field(body, 'username', 128)).trim();
    if (!username) return failed('Enter your username.');
    try {
      if (body.resend !== undefined) {
        await service.accounts.resendConfirmationCode(client, username);
        return { done: false, status: 200, state: { notice: 'We have sent you a new code.' } };
      }
      const code = field(body, 'code', 16).trim();
      if (!code) return failed('Enter the verification code.');
      const user = await service.accounts.confirmSignUp(client, { username, code });
      const pending = sessions.load(ctx.req.headers.cookie)?.data.pendingSignUp;
      if (pending && pending.poolId === pool.id && pending.sub === user.sub && user.enabled) {
        // The browser that signed up (or proved the password) confirms: it is signed in, as in Cognito.
        return await afterPassword(ctx, user, username);
      }
      return await goTo(ctx, '/login', { username, notice: 'confirmed' });
    } catch (err) {
      return failed(messageOf(err));
    }
  },
};
