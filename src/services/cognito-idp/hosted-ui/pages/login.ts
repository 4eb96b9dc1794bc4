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
  type Outcome,
  type PageCtx,
  pageUrl,
} from './page.js';
import { afterPassword, isManagedLogin, openChallenge, secretHashOf } from './steps.js';

/** The throttle's refusal of a sign-in post. */
export const tooMany = (): Outcome => ({
  done: false,
  status: 429,
  state: { error: 'Too many sign-in attempts. Wait a minute and try again.' },
});

/**
 * Username and password (the first factor on /login, or the password choice on /selectChallenge): a temporary
 * password leads to /forceChangePassword, an unconfirmed account to /confirmUser with a fresh code, and a correct
 * password to the MFA challenge the user owes, or to the client. The pool's PreAuthentication (known user) and
 * UserMigration (unknown user) triggers run as for USER_PASSWORD_AUTH; PostAuthentication when the sign-in ends.
 */
export async function passwordSignIn(ctx: PageCtx, username: string, password: string): Promise<Outcome> {
  const { service, clock } = ctx.ui;
  const { pool, client } = ctx.auth;
  try {
    // PreAuthentication for a known user, UserMigration for an unknown one, as USER_PASSWORD_AUTH.
    const { user, newPasswordRequired } = await service.auth.passwordFirstFactor(client, username, password);
    if (newPasswordRequired) {
      const expiresAt = clock.now() + tokenValidity(client).sessionSec * 1000;
      beginStep(ctx, { pendingNewPassword: { poolId: pool.id, sub: user.sub, expiresAt } }, expiresAt);
      return await goTo(ctx, '/forceChangePassword');
    }
    return await afterPassword(ctx, user, username);
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
}

/** Managed login's first step: USER_AUTH for the username, then the factors this user can use (SELECT_CHALLENGE). */
async function chooseFactor(ctx: PageCtx, username: string): Promise<Outcome> {
  const { service } = ctx.ui;
  const { pool, client } = ctx.auth;
  try {
    const step = await service.userAuth.initiate(client, {
      USERNAME: username,
      ...secretHashOf(client, username),
    });
    const user = service.findUser(pool, username);
    if (!user) return failed('Incorrect username or password.');
    return await openChallenge(ctx, 'userAuth', user, username, step);
  } catch (err) {
    return failed(messageOf(err));
  }
}

/**
 * `/login`: sign-in with username and password, or with managed login (a pool with passwordless factors and a client
 * allowing USER_AUTH) the username first, then the choice of factor on /selectChallenge. A browser already signed in to the pool goes straight back to the
 * client. A temporary password leads to /forceChangePassword, an unconfirmed account (with the right password) to
 * /confirmUser with a fresh code. Posts are throttled per client address before the pool's own per-user lockout.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/login-endpoint.html
 */
export const loginPage: HostedUiPage = {
  path: '/login',

  render(ctx, st) {
    const managed = isManagedLogin(ctx.auth.pool, ctx.auth.client);
    return renderForm({
      brand: brand(ctx.auth),
      title: 'Sign in',
      action: pageUrl('/login', ctx.auth),
      csrf: ctx.csrf,
      fields: [
        usernameField(ctx.auth.pool, st.values?.username ?? ctx.username),
        ...(managed ? [] : [passwordField(ctx.auth.pool, 'current', 'Password')]),
      ],
      submit: managed ? 'Next' : 'Sign in',
      error: st.error,
      notice: st.notice,
      links: [
        { href: pageUrl('/forgotPassword', ctx.auth), text: 'Forgot your password?' },
        { href: pageUrl('/signup', ctx.auth), text: 'Sign up', lead: 'Need an account?' },
      ],
    });
  },

  async handle(ctx, body) {
    const username = field(body, 'username', 128).trim();
    const password = field(body, 'password', 256);
    const managed = isManagedLogin(ctx.auth.pool, ctx.auth.client);
    if (!username || (!password && !managed)) return failed('Enter your username and password.');
    if (!ctx.ui.throttle.allow(ctx.req.ip)) return tooMany();
    if (managed && !password) return chooseFactor(ctx, username);
    return passwordSignIn(ctx, username, password);
  },

  async onGet(ctx) {
    const s = sessionUser(ctx.ui, ctx.req.headers.cookie, ctx.auth.pool);
    if (!s) return false;
    await finish(ctx, s.user, s.authTime);
    return true;
  },
};
