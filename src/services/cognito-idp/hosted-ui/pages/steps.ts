import { createHmac } from 'node:crypto';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../../store/index.js';
import type { AuthStep } from '../../service/auth.js';
import type { FinishSignIn } from '../../service/mfa.js';
import { allowedFlows, tokenValidity } from '../../service/settings.js';
import { allowedFirstFactors } from '../../service/userAuthConfig.js';
import { originAllowed } from '../../service/webauthn.js';
import { appendCookie, sendPage } from '../context.js';
import type { Field } from '../render.js';
import { applyLook, pageCsp } from '../render.js';
import type { PendingChallenge } from '../sessions.js';
import { failed, finish, goTo, messageOf, type Outcome, type PageCtx, signIn } from './page.js';

/**
 * The steps of a sign-in between the first factor and the redirect to the client: the MFA challenges after a
 * password, the factors of choice-based sign-in (managed login), and the passkey offered after a sign-in. Each step
 * answers the service's own challenge (MfaService, UserAuthService, WebAuthnService) with the Cognito Session kept in
 * this browser's server-side Hosted UI session: the page never carries it, so no step can be skipped or replayed
 * for another user. The service finishes a passed challenge through a callback, so the Hosted UI signs its browser
 * in and hands out an authorization code instead of the API's tokens.
 */

/** The page that answers each challenge. */
export const CHALLENGE_PAGES: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: '/mfa',
  SMS_MFA: '/mfa',
  EMAIL_OTP: '/mfa',
  SMS_OTP: '/mfa',
  SELECT_MFA_TYPE: '/selectMfaType',
  MFA_SETUP: '/mfaSetup',
  SELECT_CHALLENGE: '/selectChallenge',
  WEB_AUTHN: '/passkey',
};

/**
 * Sends a page that a step renders by itself (its QR code or passkey options are made asynchronously), in the
 * client's branding with the CSP for it, as pages/mount.ts sends every other page.
 */
export function sendStepPage(ctx: PageCtx, status: number, html: string) {
  const look = ctx.ui.service.branding.pageLook(ctx.auth.pool, ctx.auth.client);
  ctx.reply.header('content-security-policy', pageCsp(look?.css));
  return sendPage(ctx.reply, status, applyLook(html, look));
}

/** Whether the pool and client sign in with managed login's choice of factor rather than username and password. */
export const isManagedLogin = (pool: PoolRecord, client: ClientRecord): boolean =>
  allowedFlows(client).has('USER_AUTH') && allowedFirstFactors(pool).some((f) => f !== 'PASSWORD');

/**
 * The SECRET_HASH a confidential client's answers carry: the Hosted UI holds the client's secret itself, as
 * Cognito's does.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function secretHashOf(client: ClientRecord, username: string): Record<string, string> {
  if (!client.secret) return {};
  return {
    SECRET_HASH: createHmac('sha256', client.secret)
      .update(username + client.id)
      .digest('base64'),
  };
}

/** The challenge this browser's sign-in waits on, when it is one of `challenges`. */
export function pendingChallenge(ctx: PageCtx, challenges: readonly string[]): PendingChallenge | undefined {
  const { pool, client } = ctx.auth;
  const c = ctx.ui.sessions.challenge(ctx.req.headers.cookie, pool.id, client.id);
  return c && challenges.includes(c.challenge) ? c : undefined;
}

/** What a step page says when its challenge is gone (expired, answered, or never begun in this browser). */
export const EXPIRED = 'Your sign-in has expired. Go back and sign in again.';

/** A step page's GET: the page while its challenge is pending, else back to /login. */
export const whilePending =
  (current: (ctx: PageCtx) => PendingChallenge | undefined): ((ctx: PageCtx) => Promise<boolean>) =>
  async (ctx) => {
    if (current(ctx)) return false;
    await goTo(ctx, '/login');
    return true;
  };

/**
 * Answers the pending challenge `c` with `responses` through the service of `flow`; `finish` signs the browser in
 * when the answer ends the sign-in.
 */
export function respondTo(
  ctx: PageCtx,
  c: PendingChallenge,
  flow: PendingChallenge['flow'],
  responses: Record<string, string>,
  finish: FinishSignIn = async () => ({}),
): Promise<AuthStep> {
  const { client } = ctx.auth;
  const { service } = ctx.ui;
  return flow === 'mfa'
    ? service.mfa.respond(client, c.challenge, responses, c.session, finish)
    : service.userAuth.respond(client, c.challenge, responses, c.session, finish);
}

/**
 * A choice (SELECT_CHALLENGE's factor, SELECT_MFA_TYPE's MFA type): answers `c` with ANSWER = `answer` and opens
 * the page of the challenge that follows.
 */
export async function answerChoice(
  ctx: PageCtx,
  c: PendingChallenge,
  flow: PendingChallenge['flow'],
  answer: string,
): Promise<Outcome> {
  const user = ctx.ui.service.userBySub(ctx.auth.pool.id, c.sub);
  if (!user) return failed(EXPIRED);
  try {
    const step = await respondTo(ctx, c, flow, { ...baseResponses(ctx, c), ANSWER: answer });
    return await openChallenge(ctx, flow, user, c.username, step);
  } catch (err) {
    return failed(messageOf(err));
  }
}

/** The answer common to every challenge: USERNAME, with SECRET_HASH for a confidential client. */
export const baseResponses = (ctx: PageCtx, c: PendingChallenge): Record<string, string> => ({
  USERNAME: c.username,
  ...secretHashOf(ctx.auth.client, c.username),
});

/** Keeps a challenge in this browser's session (under a new session id) for as long as its Session lives. */
export function keepChallenge(ctx: PageCtx, c: PendingChallenge): void {
  appendCookie(
    ctx.reply,
    ctx.ui.sessions.beginStep(ctx.req.headers.cookie, { pendingChallenge: c }, c.expiresAt),
  );
}

/**
 * Opens the page for the service's next challenge `step` for `user`, keeping its Session server-side. TOTP setup
 * (MFA_SETUP) associates the secret at once, so the page can show it and its QR code.
 */
export async function openChallenge(
  ctx: PageCtx,
  flow: PendingChallenge['flow'],
  user: UserRecord,
  username: string,
  step: AuthStep,
): Promise<Outcome> {
  const { pool, client } = ctx.auth;
  const challenge = step.ChallengeName;
  const page = challenge ? CHALLENGE_PAGES[challenge] : undefined;
  if (!challenge || !page || !step.Session) return failed('This sign-in step is not available here.');
  const c: PendingChallenge = {
    poolId: pool.id,
    clientId: client.id,
    sub: user.sub,
    username,
    flow,
    challenge,
    session: step.Session,
    parameters: step.ChallengeParameters ?? {},
    expiresAt: ctx.ui.clock.now() + tokenValidity(client).sessionSec * 1000,
  };
  const available = (step as { AvailableChallenges?: string[] }).AvailableChallenges;
  if (available) c.available = available;
  if (challenge === 'MFA_SETUP') {
    try {
      const { SecretCode, Session } = ctx.ui.service.mfa.associate({ session: c.session });
      c.totpSecret = SecretCode;
      if (Session) c.session = Session;
    } catch (err) {
      return failed(messageOf(err));
    }
  }
  keepChallenge(ctx, c);
  return goTo(ctx, page);
}

/** Runs a service call that ends a sign-in through its finish callback; the user it finished for, if any. */
export async function finishedUser(
  run: (finish: (u: UserRecord) => Promise<AuthStep>) => Promise<AuthStep>,
): Promise<{ user: UserRecord | undefined; step: AuthStep }> {
  let user: UserRecord | undefined;
  const step = await run(async (u) => {
    user = u;
    return {};
  });
  return { user, step };
}

/**
 * Whether to offer a passkey after this sign-in: the pool allows passkeys as a first factor, the client allows
 * USER_AUTH (passkey sign-in needs it), the pool has a relying party that the Hosted UI's origin may use, and the
 * user has no passkey yet.
 */
export function offersPasskey(ctx: PageCtx, user: UserRecord): boolean {
  const { pool, client } = ctx.auth;
  const { webAuthn } = ctx.ui.service;
  if (!allowedFirstFactors(pool).includes('WEB_AUTHN') || !allowedFlows(client).has('USER_AUTH'))
    return false;
  let rpId: string;
  try {
    rpId = webAuthn.relyingPartyId(pool);
  } catch {
    return false;
  }
  // A browser would refuse the ceremony on a page outside the relying party (an IP address, another domain).
  if (!originAllowed(new URL(ctx.ui.service.urls.hostedUiBase()).origin, rpId)) return false;
  return webAuthn.count(pool, user) === 0;
}

/**
 * Signs this browser in as `user` now (a new session after PostAuthentication, dropping the finished challenge) and finishes the authorize
 * request, by way of the passkey offer when `offerPasskey` and {@link offersPasskey} allow it.
 */
export async function completeSignIn(
  ctx: PageCtx,
  user: UserRecord,
  offerPasskey: boolean,
): Promise<Outcome> {
  const refused = await signIn(ctx, user);
  if (refused) return refused;
  if (offerPasskey && offersPasskey(ctx, user)) return goTo(ctx, '/passkeyRegistration');
  return finish(ctx, user, Math.floor(ctx.ui.clock.now() / 1000));
}

/** After a correct password: the MFA challenge the user owes (on its page), or the sign-in completed. */
export async function afterPassword(ctx: PageCtx, user: UserRecord, username: string): Promise<Outcome> {
  const { pool, client } = ctx.auth;
  let step: AuthStep | undefined;
  try {
    step = await ctx.ui.service.mfa.challengeFor(pool, client, user);
  } catch (err) {
    return failed(messageOf(err));
  }
  if (step) return openChallenge(ctx, 'mfa', user, username, step);
  return completeSignIn(ctx, user, true);
}

/** A one-time code field: 6 digits for MFA, 8 for a passwordless sign-in code, as Cognito sends them. */
export function oneTimeCodeField(digits: 6 | 8, hint: string): Field {
  return {
    name: 'code',
    label: 'Code',
    type: 'text',
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    pattern: `[0-9]{${digits}}`,
    maxlength: digits,
    hint,
  };
}
