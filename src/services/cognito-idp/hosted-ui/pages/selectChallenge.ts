import { passwordField } from '../formFields.js';
import { passwordSignIn, tooMany } from './login.js';
import { failed, field, type HostedUiPage, type PageCtx, pageForm, pageUrl } from './page.js';
import { answerChoice, EXPIRED, pendingChallenge, whilePending } from './steps.js';

/** The passwordless factors managed login offers, in Cognito's order, with their buttons. */
export const FACTOR_BUTTONS: readonly { factor: string; label: string }[] = [
  { factor: 'WEB_AUTHN', label: 'Sign in with a passkey' },
  { factor: 'EMAIL_OTP', label: 'Email me a sign-in code' },
  { factor: 'SMS_OTP', label: 'Text me a sign-in code' },
];

/** The passwordless factors of SELECT_CHALLENGE's AvailableChallenges, and whether a password is one of them. */
export function factorChoices(available: readonly string[] | undefined): {
  password: boolean;
  others: { factor: string; label: string }[];
} {
  const list = available ?? [];
  return {
    password: list.includes('PASSWORD'),
    others: FACTOR_BUTTONS.filter((b) => list.includes(b.factor)),
  };
}

const current = (ctx: PageCtx) => pendingChallenge(ctx, ['SELECT_CHALLENGE']);

/**
 * `/selectChallenge`: managed login's choice of factor, after the username (SELECT_CHALLENGE): the password, a
 * code by email or text message, or a passkey, as this user and pool allow. A passwordless choice answers
 * SELECT_CHALLENGE and goes on to its page; the password goes the same way as on /login (MFA as the pool requires).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html
 */
export const selectChallengePage: HostedUiPage = {
  path: '/selectChallenge',

  render(ctx, st) {
    const c = current(ctx);
    const { password, others } = factorChoices(c?.available);
    return pageForm(ctx, st, '/selectChallenge', {
      title: 'Choose how to sign in',
      intro: c ? `Signing in as ${c.username}.` : '',
      fields: password ? [passwordField(ctx.auth.pool, 'current', 'Password')] : [],
      ...(password ? { submit: 'Sign in with password' } : {}),
      secondary: others.map((o) => ({ name: 'answer', value: o.factor, label: o.label })),
      links: [
        { href: pageUrl('/forgotPassword', ctx.auth), text: 'Forgot your password?' },
        { href: pageUrl('/login', ctx.auth), text: 'Sign in as someone else' },
      ],
    });
  },

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c) return failed(EXPIRED);
    const answer = field(body, 'answer', 32);
    const { password, others } = factorChoices(c.available);
    if (!answer) {
      const given = field(body, 'password', 256);
      if (!password) return failed('Choose one of the ways offered.');
      if (!given) return failed('Enter your password.');
      if (!ctx.ui.throttle.allow(ctx.req.ip)) return tooMany();
      return passwordSignIn(ctx, c.username, given);
    }
    if (!others.some((o) => o.factor === answer)) return failed('Choose one of the ways offered.');
    return answerChoice(ctx, c, 'userAuth', answer);
  },

  onGet: whilePending(current),
};
