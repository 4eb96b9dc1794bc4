import { renderForm } from '../render.js';
import { brand, failed, field, goTo, type HostedUiPage, messageOf, type PageCtx, pageUrl } from './page.js';
import { baseResponses, openChallenge, pendingChallenge } from './steps.js';

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
    return renderForm({
      brand: brand(ctx.auth),
      title: 'Choose how to verify',
      intro: 'Your account has more than one way to confirm it is you. Choose one.',
      action: pageUrl('/selectMfaType', ctx.auth),
      csrf: ctx.csrf,
      fields: [],
      secondary: mfaChoices(c?.parameters ?? {}).map((f) => ({
        name: 'mfa',
        value: f,
        label: MFA_LABELS[f] as string,
        primary: true,
      })),
      error: st.error,
      notice: st.notice,
      links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
    });
  },

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c) return failed('Your sign-in has expired. Go back and sign in again.');
    const choice = field(body, 'mfa', 32);
    if (!mfaChoices(c.parameters).includes(choice)) return failed('Choose one of the ways offered.');
    const { service } = ctx.ui;
    const user = service.userBySub(ctx.auth.pool.id, c.sub);
    if (!user) return failed('Your sign-in has expired. Go back and sign in again.');
    try {
      const step = await service.mfa.respond(
        ctx.auth.client,
        'SELECT_MFA_TYPE',
        { ...baseResponses(ctx, c), ANSWER: choice },
        c.session,
        async () => ({}),
      );
      return await openChallenge(ctx, 'mfa', user, c.username, step);
    } catch (err) {
      return failed(messageOf(err));
    }
  },

  async onGet(ctx) {
    if (current(ctx)) return false;
    await goTo(ctx, '/login');
    return true;
  },
};
