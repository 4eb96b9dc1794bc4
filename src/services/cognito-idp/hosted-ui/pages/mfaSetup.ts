import { escapeHtml } from '../../mail/html.js';
import { renderForm } from '../render.js';
import type { PendingChallenge } from '../sessions.js';
import {
  brand,
  failed,
  field,
  goTo,
  type HostedUiPage,
  messageOf,
  type PageCtx,
  type PageState,
  pageUrl,
} from './page.js';
import {
  baseResponses,
  completeSignIn,
  EXPIRED,
  finishedUser,
  keepChallenge,
  oneTimeCodeField,
  pendingChallenge,
  sendStepPage,
} from './steps.js';

/**
 * The key URI an authenticator app reads from the QR code: `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…`, with
 * the defaults (SHA-1, 6 digits, 30 seconds) that Cognito's TOTP uses.
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  // Percent-encoding throughout: authenticator apps read `+` literally, so URLSearchParams' form encoding will not do.
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}

/** The QR code of a key URI, as an inline SVG (no script, no style: allowed by the page's CSP as is). */
export async function qrSvg(uri: string): Promise<string> {
  // Loaded with the first MFA set-up page: an idle local cloud does without it.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace('<svg ', '<svg class="qr" role="img" aria-label="QR code of the authenticator key" ');
}

const current = (ctx: PageCtx) => pendingChallenge(ctx, ['MFA_SETUP']);

/** The page, with the QR code when it could be drawn (`svg`), and the secret as text either way. */
function setupHtml(
  ctx: PageCtx,
  c: PendingChallenge | undefined,
  st: PageState,
  svg: string | undefined,
): string {
  const secret = c?.totpSecret ?? '';
  const uri = otpauthUri(brand(ctx.auth), c?.username ?? '', secret);
  const html = c
    ? `${svg ?? ''}
<p>Or enter this key in the app: <span class="totp-key" id="totp-secret">${escapeHtml(secret)}</span></p>
<p><a href="${escapeHtml(uri)}" id="totp-uri">Open in an authenticator app on this device</a></p>`
    : '';
  return renderForm({
    brand: brand(ctx.auth),
    title: 'Set up an authenticator app',
    intro:
      'This account must use multi-factor authentication. Scan the QR code with an authenticator app, then enter the 6-digit code it shows.',
    html,
    action: pageUrl('/mfaSetup', ctx.auth),
    csrf: ctx.csrf,
    fields: [oneTimeCodeField(6, 'The 6-digit code from your authenticator app.')],
    submit: 'Verify and sign in',
    error: st.error,
    notice: st.notice,
    links: [{ href: pageUrl('/login', ctx.auth), text: 'Back to sign in' }],
  });
}

/** Sends the page with its QR code (the code is drawn asynchronously, so the page answers by itself). */
async function sendSetup(ctx: PageCtx, c: PendingChallenge, st: PageState, status: number): Promise<void> {
  const svg = await qrSvg(otpauthUri(brand(ctx.auth), c.username, c.totpSecret ?? ''));
  await sendStepPage(ctx, status, setupHtml(ctx, c, st, svg));
}

/**
 * `/mfaSetup`: MFA_SETUP for a user with no factor in a pool with MFA ON: the TOTP secret (associated when the
 * challenge opened, through AssociateSoftwareToken with the Session) as a QR code and as text, then a code from the
 * app, checked by VerifySoftwareToken, and the MFA_SETUP answer that ends the sign-in.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa-totp.html
 */
export const mfaSetupPage: HostedUiPage = {
  path: '/mfaSetup',

  // Shown by itself only after a refused form (CSRF): the secret as text, without the QR code.
  render: (ctx, st) => setupHtml(ctx, current(ctx), st, undefined),

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c?.totpSecret) return failed(EXPIRED);
    const code = field(body, 'code', 16).trim();
    if (!code) {
      await sendSetup(ctx, c, { error: 'Enter the code from your authenticator app.' }, 400);
      return { done: true };
    }
    const { service } = ctx.ui;
    let session = c.session;
    try {
      session = service.mfa.verify({ session: c.session }, code).Session ?? session;
      const { user } = await finishedUser((finish) =>
        service.mfa.respond(ctx.auth.client, 'MFA_SETUP', baseResponses(ctx, c), session, finish),
      );
      if (!user) return failed('This sign-in step is not available here.');
      return await completeSignIn(ctx, user, true);
    } catch (err) {
      const error = messageOf(err);
      // A verified secret moved the Session on: keep the new one, so the answer can be tried again.
      if (session !== c.session) keepChallenge(ctx, { ...c, session });
      await sendSetup(ctx, c, { error }, 400);
      return { done: true };
    }
  },

  async onGet(ctx) {
    const c = current(ctx);
    if (!c?.totpSecret) {
      await goTo(ctx, '/login');
      return true;
    }
    await sendSetup(ctx, c, {}, 200);
    return true;
  },
};
