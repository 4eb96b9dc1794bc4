import { failed, field, type HostedUiPage, type PageCtx, pageForm, pageUrl } from './page.js';
import { answerChoice, EXPIRED, pendingChallenge, whilePending } from './steps.js';

/** How each MFA factor is offered. */
export const MFA_LABELS: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  SMS_MFA: 'Text message (SMS)',
  EMAIL_OTP: 'Email',
};

/** The factors SELECT_MFA_TYPE offers (its MFAS_CAN_CHOOSE), those this page knows only. */
export function mfaChoices(parameters: Record<string, string>): string[] {
  try {
    const list: unknown = JSON.parse(parameters.MFAS_CAN_CHOOSE ?? '[]');
    return Array.isArray(list)
      ? list.filter((f): f is string => typeof f === 'string' && f in MFA_LABELS)
      : [];
  } catch {
    return [];
  }
}

const current = (ctx: PageCtx) => pendingChallenge(ctx, ['SELECT_MFA_TYPE']);

/**
 * `/selectMfaType`: a user with several MFA factors and no preferred one chooses how to receive the code
 * (SELECT_MFA_TYPE), then goes on to that factor's code page.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const selectMfaTypePage: HostedUiPage = {
  path: '/selectMfaType',

  render(ctx, st) {
    const c = current(ctx);
    return pageForm(ctx, st, '/selectMfaType', {
      title: 'Choose how to verify',
      intro: 'Your account has more than one way to confirm it is you. Choose one.',
      fields: [],
      secondary: mfaChoices(c?.parameters ?? {}).map((f) => ({
        name: 'mfa',
        value: f,
        label: MFA_LABELS[f] as string,
        primary: true,
      })),
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    });
  },

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c) return failed(EXPIRED);
    const choice = field(body, 'mfa', 32);
    if (!mfaChoices(c.parameters).includes(choice)) return failed('Choose one of the ways offered.');
    return answerChoice(ctx, c, 'mfa', choice);
  },

  onGet: whilePending(current),
};
