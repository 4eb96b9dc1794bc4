import { UserNotConfirmedException } from '../../errors.js';
import { tokenValidity } from '../../service/settings.js';
import { sessionUser } from '../context.js';
import { passwordField, usernameField } from '../formFields.js';
import { SESSION_TTL_MS } from '../policy.js';
import { renderForm } from '../render.js';
import {
  beginStep,
  brand,
  failed,
  field,
  finish,
  goTo,
  type HostedUiPage,
  messageOf,
  pageUrl,
  signInAndFinish,
} from './page.js';

/**
 * `/login`: sign-in with username and password. A browser already signed in to the pool goes straight back to the
 * client. A temporary password leads to /forceChangePassword, an unconfirmed account (with the right password) to
 * /confirmUser with a fresh code. Posts are throttled per client address before the pool's own per-user lockout.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/login-endpoint.html
 */
export const loginPage: HostedUiPage = {
  path: '/login',

  render: (ctx, st) =>
    renderForm({
      brand: brand(ctx.auth),
      title: 'Sign in',
      action: pageUrl('/login', ctx.auth),
      csrf: ctx.csrf,
      fields: [
        usernameField(ctx.auth.pool, st.values?.username ?? ctx.username),
        passwordField(ctx.auth.pool, 'current', 'Password'),
      ],
      submit: 'Sign in',
      error: st.error,
      notice: st.notice,
      links: [
        { href: pageUrl('/forgotPassword', ctx.auth), text: 'Forgot your password?' },
        { href: pageUrl('/signup', ctx.auth), text: 'Sign up', lead: 'Need an account?' },
      ],
    }),

  async handle(ctx, body) {
    const { service, clock, throttle } = ctx.ui;
    const username = field(body, 'username', 128).trim();
    const password = field(body, 'password', 256);
    if (!username || !password) return failed('Enter your username and password.');
    if (!throttle.allow(ctx.req.ip)) {
      return {
        done: false,
        status: 429,
        state: { error: 'Too many sign-in attempts. Wait a minute and try again.' },
      };
    }
    const { pool, client } = ctx.auth;
    try {
      const { user, newPasswordRequired } = service.auth.authenticatePassword(client, username, password);
      if (newPasswordRequired) {
        const expiresAt = clock.now() + tokenValidity(client).sessionSec * 1000;
        beginStep(ctx, { pendingNewPassword: { poolId: pool.id, sub: user.sub, expiresAt } }, expiresAt);
        return await goTo(ctx, '/forceChangePassword');
      }
      return await signInAndFinish(ctx, user);
    } catch (err) {
      if (err instanceof UserNotConfirmedException) {
        // The password was right: send a fresh code and let confirming sign the user in, as after sign-up.
        const user = service.findUser(pool, username);
        if (user) {
          try {
            await service.accounts.resendConfirmationCode(client, username);
          } catch (e) {
            return failed(messageOf(e));
          }
          beginStep(ctx, { pendingSignUp: { poolId: pool.id, sub: user.sub } }, clock.now() + SESSION_TTL_MS);
          return goTo(ctx, '/confirmUser', { username, notice: 'code_sent' });
        }
      }
      return failed(messageOf(err));
    }
  },

  async onGet(ctx) {
    const s = sessionUser(ctx.ui, ctx.req.headers.cookie, ctx.auth.pool);
    if (!s) return false;
    await finish(ctx, s.user, s.authTime);
    return true;
  },
};
