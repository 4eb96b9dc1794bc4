import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import { openStores, type Stores } from '../../../store/index.js';
import { sha256 } from '../service/index.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './cookies.js';
import { SESSION_TTL_MS } from './policy.js';
import { HostedUiSessions } from './sessions.js';
import type { OAuthStore } from './store.js';

const POOL = 'us-east-1_TestPool1';
const OTHER_POOL = 'us-east-1_OtherPool';

/** The `Cookie` header a browser sends back after a `Set-Cookie`. */
const cookieHeaderOf = (...setCookies: string[]): string => setCookies.map((c) => c.split(';')[0]).join('; ');
/** The value a `Set-Cookie` sets. */
const cookieValue = (setCookie: string): string => (setCookie.split(';')[0] ?? '').split('=')[1] ?? '';

describe('HostedUiSessions', () => {
  let stores: Stores;
  let store: OAuthStore;
  let clock: FakeClock;
  let sessions: HostedUiSessions;

  beforeEach(() => {
    stores = openStores(':memory:');
    store = stores.idp.hostedUi;
    clock = new FakeClock();
    sessions = new HostedUiSessions({ store, clock, secure: false, csrfKey: Buffer.alloc(32, 7) });
  });
  afterEach(() => {
    stores.close();
  });

  describe('sign-in', () => {
    it('signs the browser in to one pool only, with the sign-in time in epoch seconds', () => {
      const setCookie = sessions.signIn(undefined, POOL, 'sub-1');
      expect(setCookie).toMatch(
        new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax$`),
      );
      const header = cookieHeaderOf(setCookie);
      expect(sessions.signedIn(header, POOL)).toEqual({
        poolId: POOL,
        sub: 'sub-1',
        authTime: Math.floor(clock.now() / 1000),
        expiresAt: clock.now() + SESSION_TTL_MS,
      });
      expect(sessions.signedIn(header, OTHER_POOL)).toBeUndefined();
    });

    it('stores only the hash of the session id, never the id itself', () => {
      const id = cookieValue(sessions.signIn(undefined, POOL, 'sub-1'));
      expect(store.getSession(sha256(id))).toBeDefined();
      expect(store.getSession(id)).toBeUndefined();
    });

    it('writes a sign-in under a new id and deletes the session the browser had (no session fixation)', () => {
      const before = sessions.beginStep(
        undefined,
        { pendingSignUp: { poolId: POOL, sub: 'sub-1' } },
        clock.now(),
      );
      const after = sessions.signIn(cookieHeaderOf(before), POOL, 'sub-1');
      expect(cookieValue(after)).not.toBe(cookieValue(before));
      expect(store.getSession(sha256(cookieValue(before)))).toBeUndefined();
      expect(sessions.signedIn(cookieHeaderOf(after), POOL)?.sub).toBe('sub-1');
    });

    it('ends an hour after the sign-in, and the expired session is deleted when next seen', () => {
      const setCookie = sessions.signIn(undefined, POOL, 'sub-1');
      const header = cookieHeaderOf(setCookie);
      clock.advance(SESSION_TTL_MS - 1);
      expect(sessions.signedIn(header, POOL)).toBeDefined();
      clock.advance(1);
      expect(sessions.signedIn(header, POOL)).toBeUndefined();
      expect(store.getSession(sha256(cookieValue(setCookie)))).toBeUndefined();
    });

    it('ignores a session cookie that is not one this server issued', () => {
      expect(sessions.load(`${SESSION_COOKIE}=not-ours`)).toBeUndefined();
      expect(sessions.load(`${SESSION_COOKIE}=${'a'.repeat(43)}`)).toBeUndefined();
      expect(sessions.load(undefined)).toBeUndefined();
    });
  });

  describe('steps before sign-in', () => {
    it('carries a live sign-in over with its own expiry, so a step never stretches it', () => {
      const signedIn = sessions.signIn(undefined, POOL, 'sub-1');
      clock.advance(30 * 60_000);
      const step = sessions.beginStep(
        cookieHeaderOf(signedIn),
        { pendingSignUp: { poolId: POOL, sub: 'sub-2' } },
        clock.now() + SESSION_TTL_MS,
      );
      const header = cookieHeaderOf(step);
      expect(sessions.load(header)?.data.pendingSignUp).toEqual({ poolId: POOL, sub: 'sub-2' });
      expect(sessions.signedIn(header, POOL)?.sub).toBe('sub-1');
      clock.advance(30 * 60_000);
      // The session lives on for the step; the sign-in ended at its hour.
      expect(sessions.load(header)?.data.pendingSignUp).toBeDefined();
      expect(sessions.signedIn(header, POOL)).toBeUndefined();
    });

    it('drops a sign-in that has already ended', () => {
      const signedIn = cookieHeaderOf(sessions.signIn(undefined, POOL, 'sub-1'));
      const longStep = sessions.beginStep(
        signedIn,
        { pendingSignUp: { poolId: POOL, sub: 'sub-1' } },
        clock.now() + 3 * SESSION_TTL_MS,
      );
      clock.advance(SESSION_TTL_MS);
      const next = sessions.beginStep(
        cookieHeaderOf(longStep),
        { pendingNewPassword: { poolId: POOL, sub: 'sub-1', expiresAt: clock.now() + 180_000 } },
        clock.now() + 180_000,
      );
      const data = sessions.load(cookieHeaderOf(next))?.data;
      expect(data?.signedIn).toBeUndefined();
      expect(data?.pendingSignUp).toEqual({ poolId: POOL, sub: 'sub-1' });
      expect(data?.pendingNewPassword?.sub).toBe('sub-1');
    });

    it('keeps the session at least until the later of its own expiry and the step’s', () => {
      const first = sessions.beginStep(
        undefined,
        { pendingSignUp: { poolId: POOL, sub: 's' } },
        clock.now() + 7200_000,
      );
      const second = sessions.beginStep(cookieHeaderOf(first), {}, clock.now() + 60_000);
      expect(second).toContain('Max-Age=7200;');
      expect(sessions.load(cookieHeaderOf(second))?.expiresAt).toBe(clock.now() + 7200_000);
    });
  });

  describe('sign-out', () => {
    it('deletes the session and clears the cookie', () => {
      const setCookie = sessions.signIn(undefined, POOL, 'sub-1');
      const cleared = sessions.end(cookieHeaderOf(setCookie));
      expect(cleared).toBe(`${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
      expect(store.getSession(sha256(cookieValue(setCookie)))).toBeUndefined();
      expect(sessions.signedIn(cookieHeaderOf(setCookie), POOL)).toBeUndefined();
    });

    it('clears the cookie of a browser without a session too', () => {
      expect(sessions.end(undefined)).toContain('Max-Age=0');
    });
  });

  describe('CSRF', () => {
    it('gives a browser without the cookie a new XSRF-TOKEN cookie and the field that matches it', () => {
      const form = sessions.csrfForm(undefined);
      expect(form.setCookie).toMatch(
        new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax$`),
      );
      const header = cookieHeaderOf(form.setCookie ?? '');
      expect(sessions.checkCsrf(header, form.field)).toBe(true);
    });

    it('keeps the cookie a browser has, with the same field on every form', () => {
      const first = sessions.csrfForm(undefined);
      const header = cookieHeaderOf(first.setCookie ?? '');
      const again = sessions.csrfForm(header);
      expect(again).toEqual({ field: first.field, setCookie: undefined });
    });

    it('refuses a missing, wrong or foreign field, and a field without its cookie', () => {
      const a = sessions.csrfForm(undefined);
      const b = sessions.csrfForm(undefined);
      const headerA = cookieHeaderOf(a.setCookie ?? '');
      expect(sessions.checkCsrf(headerA, undefined)).toBe(false);
      expect(sessions.checkCsrf(headerA, '')).toBe(false);
      expect(sessions.checkCsrf(headerA, b.field)).toBe(false);
      expect(sessions.checkCsrf(headerA, [a.field])).toBe(false);
      expect(sessions.checkCsrf(undefined, a.field)).toBe(false);
    });

    it('refuses a field made with another key (another process)', () => {
      const other = new HostedUiSessions({ store, clock, secure: false, csrfKey: Buffer.alloc(32, 8) });
      const form = other.csrfForm(undefined);
      expect(sessions.checkCsrf(cookieHeaderOf(form.setCookie ?? ''), form.field)).toBe(false);
    });
  });

  describe('open challenges', () => {
    const challenge = (expiresAt: number) => ({
      poolId: POOL,
      clientId: 'client-a',
      sub: 'sub-1',
      username: 'pat',
      flow: 'mfa' as const,
      challenge: 'SMS_MFA',
      session: 'cognito-session',
      parameters: {},
      expiresAt,
    });

    it('keeps a challenge for its pool and client until its Session ends, and drops it at sign-in', () => {
      const until = clock.now() + 180_000;
      const header = cookieHeaderOf(
        sessions.beginStep(undefined, { pendingChallenge: challenge(until) }, until),
      );
      expect(sessions.challenge(header, POOL, 'client-a')?.session).toBe('cognito-session');
      expect(sessions.challenge(header, POOL, 'client-b')).toBeUndefined();
      expect(sessions.challenge(header, OTHER_POOL, 'client-a')).toBeUndefined();
      const signedIn = cookieHeaderOf(sessions.signIn(header, POOL, 'sub-1'));
      expect(sessions.challenge(signedIn, POOL, 'client-a')).toBeUndefined();
    });

    it('ends a challenge with its Session even while the browser session lives on', () => {
      const live = clock.now() + SESSION_TTL_MS;
      const header = cookieHeaderOf(
        sessions.beginStep(undefined, { pendingChallenge: challenge(clock.now() + 180_000) }, live),
      );
      clock.advance(180_000);
      expect(sessions.load(header)).toBeDefined();
      expect(sessions.challenge(header, POOL, 'client-a')).toBeUndefined();
    });
  });

  it('marks every cookie Secure on an https Hosted UI', () => {
    const secure = new HostedUiSessions({ store, clock, secure: true });
    expect(secure.signIn(undefined, POOL, 'sub-1')).toMatch(/; Secure$/);
    expect(secure.end(undefined)).toMatch(/; Secure$/);
    expect(secure.csrfForm(undefined).setCookie).toMatch(/; Secure$/);
  });
});
