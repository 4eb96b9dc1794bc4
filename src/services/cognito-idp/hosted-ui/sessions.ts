import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../shared/clock.js';
import { sha256 } from '../service/index.js';
import { CSRF_COOKIE, cookie, randomToken, readCookie, SESSION_COOKIE } from './cookies.js';
import { SESSION_TTL_MS } from './policy.js';
import type { OAuthStore, SessionData, SessionRecord } from './store.js';

/** The session tables this module uses (the OAuth store's, in the service's SQLite file). */
export type SessionStore = Pick<OAuthStore, 'getSession' | 'putSession' | 'deleteSession'>;

/**
 * A step before sign-in that a session can carry: a sign-up to confirm, a new password to choose, or an open
 * challenge (MFA, a passwordless factor, a passkey).
 */
export type PendingStep = Pick<SessionData, 'pendingSignUp' | 'pendingNewPassword' | 'pendingChallenge'>;

/** An open challenge of a sign-in in this browser. */
export type PendingChallenge = NonNullable<SessionData['pendingChallenge']>;

/** The CSRF field for a form, and the `XSRF-TOKEN` cookie to set when the browser had none. */
export interface CsrfForm {
  field: string;
  setCookie: string | undefined;
}

/** When a sign-in ends: an hour after the form (Cognito's session cookie), whatever happened to the session since. */
export const signInEnds = (s: NonNullable<SessionData['signedIn']>): number =>
  s.expiresAt ?? s.authTime * 1000 + SESSION_TTL_MS;

/**
 * CSRF protection by a signed double-submit token: the `XSRF-TOKEN` cookie holds a random value and every form
 * carries `_csrf` = HMAC(server key, cookie value). A cross-site form can neither read the cookie nor compute the
 * field, and a cookie planted by a sibling host cannot be paired with a valid field without the key.
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 */
class Csrf {
  readonly #key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    this.#key = key;
  }

  /** The form field for a cookie value. */
  field(cookieValue: string): string {
    return createHmac('sha256', this.#key).update(cookieValue).digest('base64url');
  }

  /** Constant-time check of a posted field against the cookie. */
  check(cookieValue: string | undefined, posted: unknown): boolean {
    if (!cookieValue || typeof posted !== 'string' || posted.length > 128) return false;
    const expected = Buffer.from(this.field(cookieValue));
    const given = Buffer.from(posted);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/**
 * The Hosted UI's browser sessions and CSRF tokens, on plain values: every method takes the request's `Cookie` header
 * and returns the `Set-Cookie` value to send, so it runs (and is tested) without HTTP. The session cookie holds a
 * random id; the store keeps only its hash. A session is written under a new id at every change of sign-in state,
 * so a signed-in session never reuses an id seen before sign-in (session fixation).
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html
 */
export class HostedUiSessions {
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #secure: boolean;
  readonly #csrf: Csrf;

  /** `secure` sets the cookies' Secure flag (an https Hosted UI); `csrfKey` is random per process by default. */
  constructor(opts: { store: SessionStore; clock: Clock; secure: boolean; csrfKey?: Buffer | undefined }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#secure = opts.secure;
    this.#csrf = new Csrf(opts.csrfKey);
  }

  /** The browser's live session, if any; an expired one is deleted on sight. */
  load(cookieHeader: string | undefined): SessionRecord | undefined {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    if (!id) return undefined;
    const rec = this.#store.getSession(sha256(id));
    if (!rec) return undefined;
    if (rec.expiresAt <= this.#clock.now()) {
      this.#store.deleteSession(rec.idHash);
      return undefined;
    }
    return rec;
  }

  /** The sign-in this browser holds for the pool, if it has not ended. Whether the user may still sign in is the caller's check. */
  signedIn(
    cookieHeader: string | undefined,
    poolId: string,
  ): NonNullable<SessionData['signedIn']> | undefined {
    const s = this.load(cookieHeader)?.data.signedIn;
    if (!s || s.poolId !== poolId || signInEnds(s) <= this.#clock.now()) return undefined;
    return s;
  }

  /**
   * The challenge this browser's sign-in waits on for the pool and client, while its Session lasts. The caller checks
   * that it is the challenge its page answers.
   */
  challenge(
    cookieHeader: string | undefined,
    poolId: string,
    clientId: string,
  ): PendingChallenge | undefined {
    const c = this.load(cookieHeader)?.data.pendingChallenge;
    if (!c || c.poolId !== poolId || c.clientId !== clientId || c.expiresAt <= this.#clock.now())
      return undefined;
    return c;
  }

  /** Signs the browser in to the pool as `sub` now, for an hour, in a new session; returns its Set-Cookie. */
  signIn(cookieHeader: string | undefined, poolId: string, sub: string): string {
    const now = this.#clock.now();
    const expiresAt = now + SESSION_TTL_MS;
    return this.#write(
      cookieHeader,
      { signedIn: { poolId, sub, authTime: Math.floor(now / 1000), expiresAt } },
      expiresAt,
    );
  }

  /**
   * Moves the session to a new id with a step before sign-in added. A live sign-in is carried over with its own
   * expiry and an ended one is dropped, so such a step never stretches a sign-in past its hour (they used to copy it
   * into a fresh session). The session lives at least until `until`. Returns the Set-Cookie.
   */
  beginStep(cookieHeader: string | undefined, step: PendingStep, until: number): string {
    const s = this.load(cookieHeader);
    const prev = s?.data.signedIn;
    const signedIn = prev && signInEnds(prev) > this.#clock.now() ? prev : undefined;
    return this.#write(cookieHeader, { ...s?.data, signedIn, ...step }, Math.max(until, s?.expiresAt ?? 0));
  }

  /** Deletes the browser's session (sign-out); returns the Set-Cookie that clears the cookie. */
  end(cookieHeader: string | undefined): string {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    if (id) this.#store.deleteSession(sha256(id));
    return cookie(SESSION_COOKIE, '', 0, this.#secure);
  }

  /** The `_csrf` field for a form, with a new `XSRF-TOKEN` cookie (a day) when the browser had none. */
  csrfForm(cookieHeader: string | undefined): CsrfForm {
    const value = readCookie(cookieHeader, CSRF_COOKIE);
    if (value) return { field: this.#csrf.field(value), setCookie: undefined };
    const fresh = randomToken();
    return { field: this.#csrf.field(fresh), setCookie: cookie(CSRF_COOKIE, fresh, 86400, this.#secure) };
  }

  /** Whether a posted `_csrf` field belongs to the browser's `XSRF-TOKEN` cookie (constant time). */
  checkCsrf(cookieHeader: string | undefined, posted: unknown): boolean {
    return this.#csrf.check(readCookie(cookieHeader, CSRF_COOKIE), posted);
  }

  /** Writes the session under a NEW id, dropping the one the browser sent. */
  #write(cookieHeader: string | undefined, data: SessionData, expiresAt: number): string {
    const old = readCookie(cookieHeader, SESSION_COOKIE);
    if (old) this.#store.deleteSession(sha256(old));
    const id = randomToken();
    this.#store.putSession({ idHash: sha256(id), data, expiresAt });
    const maxAge = Math.max(0, Math.floor((expiresAt - this.#clock.now()) / 1000));
    return cookie(SESSION_COOKIE, id, maxAge, this.#secure);
  }
}
