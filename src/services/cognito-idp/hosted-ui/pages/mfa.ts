import type { PendingChallenge } from '../sessions.js';
import { failed, field, type HostedUiPage, messageOf, type PageCtx, pageForm, pageUrl } from './page.js';
import {
  baseResponses,
  completeSignIn,
  EXPIRED,
  finishedUser,
  oneTimeCodeField,
  pendingChallenge,
  respondTo,
  whilePending,
} from './steps.js';

/** The challenges this page answers with a code. */
const CODE_CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'SMS_OTP'] as const;

/** The response field of each code challenge (RespondToAuthChallenge's ChallengeResponses). */
const RESPONSE_FIELD: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
};

/** The page's title and intro for a challenge: where the code comes from, and where it was sent. */
export function codePrompt(c: Pick<PendingChallenge, 'challenge' | 'parameters'>): {
  title: string;
  intro: string;
} {
  const to = c.parameters.CODE_DELIVERY_DESTINATION;
  if (c.challenge === 'SOFTWARE_TOKEN_MFA') {
    return {
      title: 'Enter your authenticator code',
      intro: 'Open your authenticator app and enter the 6-digit code it shows for this account.',
    };
  }
  if (c.challenge === 'SMS_MFA' || c.challenge === 'SMS_OTP') {
    return {
      title: 'Enter the code we texted you',
      intro: `We have sent a code by text message${to ? ` to ${to}` : ''}.`,
    };
  }
  return {
    title: 'Enter the code we emailed you',
    intro: `We have sent a code by email${to ? ` to ${to}` : ''}.`,
  };
}

/** The number of digits of the challenge's code: passwordless sign-in codes have 8, MFA codes 6. */
export const codeDigits = (c: Pick<PendingChallenge, 'flow'>): 6 | 8 => (c.flow === 'userAuth' ? 8 : 6);

const current = (ctx: PageCtx) => pendingChallenge(ctx, CODE_CHALLENGES);

/**
 * `/mfa`: the code of the open challenge: an authenticator (SOFTWARE_TOKEN_MFA), a text message (SMS_MFA, or
 * SMS_OTP as a first factor) or an email (EMAIL_OTP, as MFA or as a first factor). A wrong code shows Cognito's
 * message and the user tries again, until the challenge's attempts or its 3 minutes run out.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
 */
export const mfaPage: HostedUiPage = {
  path: '/mfa',

  render(ctx, st) {
    const c = current(ctx);
    const prompt = c ? codePrompt(c) : { title: 'Enter your code', intro: '' };
    const digits = c ? codeDigits(c) : 6;
    return pageForm(ctx, st, '/mfa', {
      title: prompt.title,
      intro: prompt.intro,
      fields: [oneTimeCodeField(digits, `The ${digits}-digit code.`)],
      submit: 'Sign in',
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    });
  },

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c) return failed(EXPIRED);
    const code = field(body, 'code', 16).trim();
    if (!code) return failed('Enter the code.');
    const responses = { ...baseResponses(ctx, c), [RESPONSE_FIELD[c.challenge] as string]: code };
    try {
      const { user } = await finishedUser((finish) => respondTo(ctx, c, c.flow, responses, finish));
      if (!user) return failed('This sign-in step is not available here.');
      return await completeSignIn(ctx, user, true);
    } catch (err) {
      return failed(messageOf(err));
    }
  },

  onGet: whilePending(current),
};
