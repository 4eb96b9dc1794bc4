import { usernameAttributes } from '../../service/settings.js';
import { str } from '../context.js';
import { attributeField, passwordField, signUpAttributes, usernameField } from '../formFields.js';
import { SESSION_TTL_MS } from '../policy.js';
import { renderForm } from '../render.js';
import {
  beginStep,
  brand,
  failed,
  field,
  goTo,
  type HostedUiPage,
  messageOf,
  pageUrl,
  signInAndFinish,
} from './page.js';

/**
 * `/signup`: a new account with the pool's required and verified attributes, through the service's SignUp (policy,
 * triggers, code by mail). An account confirmed at once signs in; otherwise the browser goes on to /confirmUser and
 * remembers the sign-up, so confirming it signs the user in, as Cognito's Hosted UI does.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signup-endpoint.html
 */
export const signupPage: HostedUiPage = {
  path: '/signup',

  render(ctx, st) {
    const pool = ctx.auth.pool;
    return renderForm({
      brand: brand(ctx.auth),
      title: 'Create an account',
      action: pageUrl('/signup', ctx.auth),
      csrf: ctx.csrf,
      fields: [
        usernameField(
          pool,
          st.values?.username,
          usernameAttributes(pool).includes('email') ? 'email' : 'username',
        ),
        ...signUpAttributes(pool).map((a) => attributeField(a, st.values?.[a], true)),
        passwordField(pool, 'new', 'Password'),
      ],
      submit: 'Sign up',
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Sign in', lead: 'Already have an account?' }],
    });
  },

  async handle(ctx, body) {
    const { service, clock } = ctx.ui;
    const { pool, client } = ctx.auth;
    const username = field(body, 'username', 128).trim();
    const password = field(body, 'password', 256);
    if (!username || !password) return failed('Enter a username and a password.');
    const attributes: Record<string, string> = {};
    for (const a of signUpAttributes(pool)) {
      const v = (str(body[a]) ?? str(body[`requiredAttributes[${a}]`]) ?? '').trim();
      if (v) attributes[a] = v;
    }
    try {
      const res = await service.accounts.signUp(client, { username, password, attributes });
      const user = service.userBySub(pool.id, res.UserSub);
      if (res.UserConfirmed && user) return await signInAndFinish(ctx, user);
      beginStep(ctx, { pendingSignUp: { poolId: pool.id, sub: res.UserSub } }, clock.now() + SESSION_TTL_MS);
      return await goTo(ctx, '/confirmUser', { username, notice: 'code_sent' });
    } catch (err) {
      return failed(messageOf(err));
    }
  },
};
