import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRecord } from '../../../../store/index.js';
import { CognitoError } from '../../errors.js';
import { type AuthorizeRequest, authorizeQuery } from '../authorizeRequest.js';
import { completeAuthorize } from '../completeAuthorize.js';
import { appendCookie, type FormBody, type HostedUi, str } from '../context.js';
import { type FormPage, renderForm } from '../render.js';
import type { PendingStep } from '../sessions.js';

/** What a page shows besides its fields: an error or a notice, and the values posted (never the password). */
export interface PageState {
  error?: string | undefined;
  notice?: string | undefined;
  values?: Record<string, string>;
}

/** One request to a page, after its authorize parameters were checked. */
export interface PageCtx {
  ui: HostedUi;
  req: FastifyRequest;
  reply: FastifyReply;
  auth: AuthorizeRequest;
  /** The form field value for this browser's CSRF cookie. */
  csrf: string;
  /** `username` from the page's query (confirm pages). */
  username: string | undefined;
}

/** What a form handler decided: a redirect (already sent) or the same page again with an error. */
export type Outcome = { done: true } | { done: false; state: PageState; status?: number };

/**
 * A Hosted UI page: its path, its HTML, and what a post of its form does. The registry (pages/registry.ts) lists
 * them; pages/mount.ts serves each as GET and POST, checking the authorize parameters and the CSRF token first.
 */
export interface HostedUiPage {
  path: string;
  render(ctx: PageCtx, state: PageState): string;
  /** The form post, after the CSRF check. */
  handle(ctx: PageCtx, body: FormBody): Promise<Outcome>;
  /** Runs before a GET renders; true when it has answered already (e.g. a redirect). */
  onGet?(ctx: PageCtx): Promise<boolean>;
}

/** The pool's or client's name, shown above a page's title. */
export const brand = (auth: AuthorizeRequest): string => auth.client.name || auth.pool.name;

/** A page's path with the authorize parameters (and `extra`) in its query: every page carries them on. */
export const pageUrl = (path: string, auth: AuthorizeRequest, extra: Record<string, string> = {}): string =>
  `${path}${authorizeQuery(auth.params, extra)}`;

/**
 * A page's form: the client's branding, the page's own URL (with the authorize parameters) as the action, the CSRF
 * token, and the page state's error and notice around what the page gives.
 */
export const pageForm = (
  ctx: PageCtx,
  st: PageState,
  path: string,
  page: Omit<FormPage, 'brand' | 'action' | 'csrf' | 'error' | 'notice'>,
): string =>
  renderForm({
    brand: brand(ctx.auth),
    action: pageUrl(path, ctx.auth),
    csrf: ctx.csrf,
    error: st.error,
    notice: st.notice,
    ...page,
  });

/** A posted field as a string ('' when absent, repeated or longer than `max`). */
export const field = (body: FormBody, name: string, max = 2048): string => str(body[name], max) ?? '';

/** A cognito error message shown in place; anything else is a server error. */
export function messageOf(err: unknown): string {
  if (err instanceof CognitoError && err.statusCode < 500) return err.message;
  throw err;
}

/** The page shown again with an error. */
export const failed = (error: string): Outcome => ({ done: false, state: { error } });

/** Sends the browser to another page of the flow. */
export async function goTo(ctx: PageCtx, path: string, extra: Record<string, string> = {}): Promise<Outcome> {
  await ctx.reply.redirect(pageUrl(path, ctx.auth, extra), 302);
  return { done: true };
}

/** Finishes the authorize request for `user` (signed in at `authTime`, epoch seconds): off to the client's callback. */
export async function finish(ctx: PageCtx, user: UserRecord, authTime: number): Promise<Outcome> {
  await ctx.reply.redirect(await completeAuthorize(ctx.ui, ctx.auth, user, authTime), 302);
  return { done: true };
}

/**
 * Signs this browser in as `user` now (a new session), once the pool's PostAuthentication trigger accepted the
 * sign-in as it does for the API's: undefined when signed in, or this page again with the trigger's refusal.
 */
export async function signIn(ctx: PageCtx, user: UserRecord): Promise<Outcome | undefined> {
  const { sessions, service } = ctx.ui;
  try {
    await service.auth.postAuthentication(ctx.auth.pool, ctx.auth.client, user, false);
  } catch (err) {
    return failed(messageOf(err));
  }
  appendCookie(ctx.reply, sessions.signIn(ctx.req.headers.cookie, ctx.auth.pool.id, user.sub));
  return undefined;
}

/** Signs this browser in as `user` now ({@link signIn}) and finishes the authorize request. */
export async function signInAndFinish(ctx: PageCtx, user: UserRecord): Promise<Outcome> {
  return (await signIn(ctx, user)) ?? finish(ctx, user, Math.floor(ctx.ui.clock.now() / 1000));
}

/** Moves this browser's session to a new id carrying a step before sign-in (see HostedUiSessions.beginStep). */
export function beginStep(ctx: PageCtx, step: PendingStep, until: number): void {
  appendCookie(ctx.reply, ctx.ui.sessions.beginStep(ctx.req.headers.cookie, step, until));
}
