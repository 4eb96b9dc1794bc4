import type { UserRecord } from '../../../../store/index.js';
import { type HostedUi, sessionUser } from '../context.js';
import { renderForm } from '../render.js';
import {
  brand,
  failed,
  field,
  finish,
  goTo,
  type HostedUiPage,
  messageOf,
  type PageCtx,
  pageUrl,
} from './page.js';
import { credentialField, MAX_CREDENTIAL } from './passkey.js';
import { offersPasskey, sendStepPage } from './steps.js';
import { webauthnBlock } from './webauthnScript.js';

function registrationHtml(ctx: PageCtx, options: string | undefined, error?: string): string {
  return renderForm({
    brand: brand(ctx.auth),
    title: 'Sign in faster with a passkey',
    intro:
      'A passkey lets you sign in with your fingerprint, face or screen lock instead of a password. Add one for this account?',
    ...(options ? { html: webauthnBlock('create', options) } : {}),
    action: pageUrl('/passkeyRegistration', ctx.auth),
    csrf: ctx.csrf,
    fields: [{ ...credentialField }],
    submit: 'Add a passkey',
    secondary: [{ name: 'skip', value: '1', label: 'Not now' }],
    error,
  });
}

/** The creation options for a new passkey (StartWebAuthnRegistration), as JSON; throws Cognito's error when none can be made. */
async function startRegistration(ui: HostedUi, ctx: PageCtx, user: UserRecord): Promise<string> {
  const options = await ui.service.webAuthn.startRegistration(ctx.auth.pool, user, ctx.auth.client.id);
  return JSON.stringify(options);
}

/**
 * `/passkeyRegistration`: after a sign-in without a passkey, in a pool that offers them, the browser is asked to
 * create one (navigator.credentials.create with StartWebAuthnRegistration's options); the page script posts the new
 * credential, which CompleteWebAuthnRegistration verifies and stores. "Not now", or a pool that cannot register one,
 * goes straight on to the client. The browser is already signed in: this page only adds to the account.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartWebAuthnRegistration.html
 */
export const passkeyRegistrationPage: HostedUiPage = {
  path: '/passkeyRegistration',

  // Shown by itself only after a refused form (CSRF): without options, the user can still go on with "Not now".
  render: (ctx, st) => registrationHtml(ctx, undefined, st.error),

  async handle(ctx, body) {
    const s = sessionUser(ctx.ui, ctx.req.headers.cookie, ctx.auth.pool);
    if (!s) return goTo(ctx, '/login');
    if (body.skip !== undefined) return finish(ctx, s.user, s.authTime);
    const { pool, client } = ctx.auth;
    let error: string;
    try {
      const text = field(body, 'credential', MAX_CREDENTIAL);
      if (!text) return failed('Your browser did not create a passkey. Try again, or choose Not now.');
      let credential: unknown;
      try {
        credential = JSON.parse(text);
      } catch {
        return failed('Your browser did not create a passkey. Try again, or choose Not now.');
      }
      await ctx.ui.service.webAuthn.completeRegistration(pool, s.user, client.id, credential);
      return await finish(ctx, s.user, s.authTime);
    } catch (err) {
      error = messageOf(err);
    }
    // A new challenge, so the user can try again on this page.
    try {
      await sendStepPage(
        ctx,
        400,
        registrationHtml(ctx, await startRegistration(ctx.ui, ctx, s.user), error),
      );
      return { done: true };
    } catch (again) {
      return failed(messageOf(again));
    }
  },

  async onGet(ctx) {
    const s = sessionUser(ctx.ui, ctx.req.headers.cookie, ctx.auth.pool);
    if (!s) {
      await goTo(ctx, '/login');
      return true;
    }
    if (!offersPasskey(ctx, s.user)) {
      await finish(ctx, s.user, s.authTime);
      return true;
    }
    let options: string;
    try {
      options = await startRegistration(ctx.ui, ctx, s.user);
    } catch (err) {
      messageOf(err);
      // The pool cannot register a passkey now (no relying party, the limit reached): go on to the client.
      await finish(ctx, s.user, s.authTime);
      return true;
    }
    await sendStepPage(ctx, 200, registrationHtml(ctx, options));
    return true;
  },
};
