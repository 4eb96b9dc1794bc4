import type { FastifyReply } from 'fastify';
import type { Clock } from '../../../shared/clock.js';
import type { PoolRecord, UserRecord } from '../../../store/index.js';
import type { IdpService } from '../service/index.js';
import {
  type AuthorizeParams,
  type AuthorizeRequest,
  checkAuthorize,
  errorRedirectUrl,
} from './authorizeRequest.js';
import type { HostedUiSessions } from './sessions.js';
import type { OAuthStore } from './store.js';
import type { LoginThrottle } from './throttle.js';

/** What every Hosted UI page and endpoint works with: built once per server by createHostedUiServer. */
export interface HostedUi {
  service: IdpService;
  clock: Clock;
  store: OAuthStore;
  sessions: HostedUiSessions;
  throttle: LoginThrottle;
}

/** A bounded string from a parsed query or form, or undefined (arrays and over-long values included). */
export const str = (v: unknown, max = 2048): string | undefined =>
  typeof v === 'string' && v.length <= max ? v : undefined;

/** Adds a Set-Cookie, keeping any set earlier in the same reply (session and CSRF cookies can go together). */
export function appendCookie(reply: FastifyReply, value: string): void {
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('set-cookie', [...list, value]);
}

/** An HTML page as the reply. */
export const sendPage = (reply: FastifyReply, status: number, html: string) =>
  reply.code(status).header('content-type', 'text/html; charset=utf-8').send(html);

/** Checks the authorize parameters; sends the `error=` redirect itself and returns undefined when they fail. */
export function authorizeOrRedirect(
  ui: HostedUi,
  params: AuthorizeParams,
  reply: FastifyReply,
): AuthorizeRequest | undefined {
  const r = checkAuthorize(ui.service, params);
  if (r.ok) return r.req;
  void reply.redirect(errorRedirectUrl(r.redirect), 302);
  return undefined;
}

/** The signed-in user of this browser for the request's pool, if the session is live and the user may sign in. */
export function sessionUser(
  ui: HostedUi,
  cookieHeader: string | undefined,
  pool: PoolRecord,
): { user: UserRecord; authTime: number } | undefined {
  const { service } = ui;
  const s = ui.sessions.signedIn(cookieHeader, pool.id);
  if (!s) return undefined;
  const user = service.userBySub(pool.id, s.sub);
  if (!user?.enabled || user.status !== 'CONFIRMED') return undefined;
  return { user, authTime: s.authTime };
}

/** A form body as @fastify/formbody parses it: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;
