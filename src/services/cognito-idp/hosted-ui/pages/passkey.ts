import { tokenValidity } from '../../service/settings.js';
import { renderForm } from '../render.js';
import type { PendingChallenge } from '../sessions.js';
import {
  brand,
  failed,
  field,
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
  pendingChallenge,
  secretHashOf,
  sendStepPage,
  whilePending,
} from './steps.js';
import { webauthnBlock } from './webauthnScript.js';

/** The largest credential JSON a browser posts (an assertion is about 1 KB; the form limit is 64 KB). */
export const MAX_CREDENTIAL = 32 * 1024;

/** The hidden field the page script fills with the credential. */
export const credentialField = {
  name: 'credential',
  label: 'Passkey',
  type: 'hidden',
  value: '',
} as const;

const current = (ctx: PageCtx) => pendingChallenge(ctx, ['WEB_AUTHN']);

function passkeyHtml(ctx: PageCtx, c: PendingChallenge | undefined, st: PageState): string {
  const options = c?.parameters.CREDENTIAL_REQUEST_OPTIONS;
  return renderForm({
    brand: brand(ctx.auth),
    title: 'Sign in with a passkey',
    intro: c
      ? `Signing in as ${c.username}. Your browser will ask you to use your passkey.`
      : 'Your browser will ask you to use your passkey.',
    ...(options ? { html: webauthnBlock('get', options) } : {}),
    action: pageUrl('/passkey', ctx.auth),
    csrf: ctx.csrf,
    fields: [{ ...credentialField }],
    submit: 'Use my passkey',
    error: st.error,
    notice: st.notice,
    links: [
      { href: pageUrl('/login', ctx.auth, c ? { username: c.username } : {}), text: 'Choose another way' },
    ],
  });
}

/**
 * `/passkey`: the WEB_AUTHN challenge. The page script asks the browser for an assertion with the challenge's
 * CREDENTIAL_REQUEST_OPTIONS (navigator.credentials.get) and posts it back as the CREDENTIAL answer, which the
 * service verifies with @simplewebauthn/server (origin, RP id, signature, counter). A refused passkey is shown with
 * Cognito's message, and a fresh challenge lets the user try again.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html
 */
export const passkeyPage: HostedUiPage = {
  path: '/passkey',

  render: (ctx, st) => passkeyHtml(ctx, current(ctx), st),

  async handle(ctx, body) {
    const c = current(ctx);
    if (!c) return failed(EXPIRED);
    const credential = field(body, 'credential', MAX_CREDENTIAL);
    if (!credential) return failed('Your browser did not send a passkey. Try again, or choose another way.');
    const { service } = ctx.ui;
    const { client } = ctx.auth;
    try {
      const { user } = await finishedUser((finish) =>
        service.userAuth.respond(
          client,
          'WEB_AUTHN',
          { ...baseResponses(ctx, c), CREDENTIAL: credential },
          c.session,
          finish,
        ),
      );
      if (!user) return failed('This sign-in step is not available here.');
      return await completeSignIn(ctx, user, false);
    } catch (err) {
      const error = messageOf(err);
      // The answer used the challenge up: open a new one so the user can try again on this page.
      try {
        const step = await service.userAuth.initiate(client, {
          USERNAME: c.username,
          PREFERRED_CHALLENGE: 'WEB_AUTHN',
          ...secretHashOf(client, c.username),
        });
        if (step.ChallengeName !== 'WEB_AUTHN' || !step.Session) return failed(error);
        const next: PendingChallenge = {
          ...c,
          session: step.Session,
          parameters: step.ChallengeParameters ?? {},
          expiresAt: ctx.ui.clock.now() + tokenValidity(client).sessionSec * 1000,
        };
        keepChallenge(ctx, next);
        await sendStepPage(ctx, 400, passkeyHtml(ctx, next, { error }));
        return { done: true };
      } catch (again) {
        return failed(messageOf(again));
      }
    }
  },

  onGet: whilePending(current),
};
