import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.js';
import { newUserRecord, type UserRecord } from '../records.js';

const RULES = { freeAttempts: 5, maxLockMs: 15 * 60_000, resetAfterMs: 15 * 60_000 };
const T0 = Date.UTC(2026, 0, 1);

function user(over: Partial<UserRecord> = {}): UserRecord {
  return {
    poolId: 'p',
    ukey: 'ada',
    username: 'ada',
    sub: 'sub-ada',
    status: 'CONFIRMED',
    enabled: true,
    attributes: { sub: 'sub-ada', email: 'Ada@Example.com' },
    srpSalt: 'salt0',
    srpVerifier: 'verifier0',
    tempPasswordExpiresAt: undefined,
    failedAttempts: 0,
    lockedUntil: 0,
    lastFailedAt: 0,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

describe('the SQLite user pool store', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openStores(':memory:');
    stores.idp.pools.insert({ id: 'p', name: 'p', config: {}, createdAt: T0, updatedAt: T0 });
    stores.idp.users.insert(user());
  });
  afterEach(() => stores.close());

  it('inserts many users in batches exactly as one by one, alias columns included', () => {
    const { users } = stores.idp;
    const many = Array.from({ length: 123 }, (_, i) =>
      newUserRecord({
        poolId: 'p',
        ukey: `u${i}`,
        username: `u${i}`,
        sub: `sub-${i}`,
        status: 'CONFIRMED',
        attributes: { email: `U${i}@Example.com` },
        srpSalt: 'salt',
        srpVerifier: 'verifier',
        now: T0,
      }),
    );
    stores.idp.tx(() => users.insertMany(many));
    expect(users.count('p')).toBe(124);
    for (const i of [0, 49, 50, 99, 100, 122]) {
      expect(users.get('p', `u${i}`)).toEqual(many[i]);
      expect(users.byAlias('p', 'email', `u${i}@example.com`).map((u) => u.ukey)).toEqual([`u${i}`]);
    }
    expect(many[7]).toMatchObject({ enabled: true, failedAttempts: 0, attributes: { sub: 'sub-7' } });
  });

  it('counts a password attempt up front and locks on the fifth, for 2^(n-5) s', () => {
    const { users } = stores.idp;
    for (let n = 1; n <= 4; n++) {
      const r = users.beginPasswordAttempt('p', 'ada', T0, RULES);
      expect(r).toMatchObject({ locked: false, user: { failedAttempts: n, lockedUntil: 0 } });
    }
    expect(users.beginPasswordAttempt('p', 'ada', T0, RULES)).toMatchObject({
      locked: false,
      user: { failedAttempts: 5, lockedUntil: T0 + 1000 },
    });
    // While locked, attempts are refused and not counted.
    expect(users.beginPasswordAttempt('p', 'ada', T0 + 999, RULES)).toEqual({ locked: true });
    expect(users.get('p', 'ada')?.failedAttempts).toBe(5);
    expect(users.beginPasswordAttempt('p', 'ada', T0 + 1000, RULES)).toMatchObject({
      user: { failedAttempts: 6, lockedUntil: T0 + 1000 + 2000 },
    });
  });

  it('caps the lock at the maximum and starts the count again after a quiet period', () => {
    const { users } = stores.idp;
    let now = T0;
    for (let n = 1; n <= 30; n++) {
      const r = users.beginPasswordAttempt('p', 'ada', now, RULES);
      if (r?.locked === false) now = Math.max(now, r.user.lockedUntil);
    }
    const locked = users.get('p', 'ada') as UserRecord;
    expect(locked.lockedUntil - locked.lastFailedAt).toBe(RULES.maxLockMs);
    const later = locked.lastFailedAt + RULES.resetAfterMs;
    expect(users.beginPasswordAttempt('p', 'ada', later, RULES)).toMatchObject({
      user: { failedAttempts: 1, lockedUntil: 0 },
    });
  });

  it('clears the count after a correct password, and says undefined for a user that is gone', () => {
    const { users } = stores.idp;
    users.beginPasswordAttempt('p', 'ada', T0, RULES);
    users.clearFailedAttempts('p', 'ada');
    expect(users.get('p', 'ada')).toMatchObject({ failedAttempts: 0, lockedUntil: 0 });
    expect(users.beginPasswordAttempt('p', 'nobody', T0, RULES)).toBeUndefined();
  });

  it('writes a password only over the verifier the caller checked', () => {
    const { users } = stores.idp;
    const write = (verifier: string, expect?: string) =>
      users.setPassword('p', 'ada', {
        salt: `salt-${verifier}`,
        verifier,
        status: 'CONFIRMED',
        tempPasswordExpiresAt: undefined,
        now: T0 + 1,
        expectVerifier: expect,
      });
    expect(write('v1', 'verifier0')).toBe(true);
    expect(write('v2', 'verifier0')).toBe(false);
    expect(users.get('p', 'ada')?.srpVerifier).toBe('v1');
    expect(write('v3')).toBe(true);
    expect(users.get('p', 'ada')).toMatchObject({ srpVerifier: 'v3', srpSalt: 'salt-v3', updatedAt: T0 + 1 });
  });

  it('changes a status only from the expected one, and leaves every other column alone', () => {
    const { users } = stores.idp;
    users.setEnabled('p', 'ada', false, T0 + 1);
    expect(users.setStatus('p', 'ada', 'CONFIRMED', T0 + 2, 'UNCONFIRMED')).toBe(false);
    expect(users.setStatus('p', 'ada', 'RESET_REQUIRED', T0 + 2)).toBe(true);
    expect(users.get('p', 'ada')).toMatchObject({
      status: 'RESET_REQUIRED',
      enabled: false,
      srpVerifier: 'verifier0',
    });
  });

  it('patches attributes on the stored row and keeps the alias columns in step', () => {
    const { users } = stores.idp;
    users.setEnabled('p', 'ada', false, T0 + 1);
    const written = users.patchAttributes(
      'p',
      'ada',
      { email: 'New@Example.com', name: 'Ada' },
      ['nope'],
      T0 + 2,
    );
    expect(written?.attributes).toEqual({ sub: 'sub-ada', email: 'New@Example.com', name: 'Ada' });
    expect(users.get('p', 'ada')?.enabled).toBe(false);
    expect(users.byAlias('p', 'email', 'new@example.com').map((u) => u.ukey)).toEqual(['ada']);
    expect(users.byAlias('p', 'email', 'ada@example.com')).toEqual([]);
    users.patchAttributes('p', 'ada', {}, ['name'], T0 + 3);
    expect(users.get('p', 'ada')?.attributes.name).toBeUndefined();
    expect(users.patchAttributes('p', 'nobody', { name: 'x' }, [], T0)).toBeUndefined();
  });

  it('counts code attempts per user and family in a fixed window', () => {
    const { codes } = stores.idp;
    expect(codes.countAttempt('p', 'ada', 'forgot', T0, 3600_000)).toBe(1);
    expect(codes.countAttempt('p', 'ada', 'forgot', T0 + 10, 3600_000)).toBe(2);
    expect(codes.countAttempt('p', 'ada', 'signup', T0 + 10, 3600_000)).toBe(1);
    expect(codes.attempts('p', 'ada', 'forgot', T0 + 3599_999, 3600_000)).toBe(2);
    expect(codes.attempts('p', 'ada', 'forgot', T0 + 3600_000, 3600_000)).toBe(0);
    expect(codes.countAttempt('p', 'ada', 'forgot', T0 + 3600_000, 3600_000)).toBe(1);
    // Deleting the user drops the counts with it.
    stores.idp.users.delete('p', 'ada');
    expect(codes.attempts('p', 'ada', 'signup', T0 + 10, 3600_000)).toBe(0);
  });

  it('flags an authorization code replayed while its exchange mints, so the exchange can revoke itself', () => {
    const { hostedUi } = stores.idp;
    hostedUi.insertCode({
      codeHash: 'h',
      poolId: 'p',
      clientId: 'c',
      sub: 'sub-ada',
      redirectUri: 'http://localhost/cb',
      scopes: ['openid'],
      nonce: undefined,
      codeChallenge: undefined,
      authTime: 1,
      expiresAt: T0 + 300_000,
    });
    expect(hostedUi.useCode('h', T0)).toMatchObject({ ok: true });
    expect(hostedUi.useCode('h', T0 + 1)).toMatchObject({
      ok: false,
      reason: 'replayed',
      code: { originJti: undefined },
    });
    expect(hostedUi.setCodeOrigin('h', 'jti-1')).toEqual({ replayed: true });
    expect(hostedUi.useCode('missing', T0)).toEqual({ ok: false, reason: 'missing' });
  });

  it('does not flag a code exchanged once', () => {
    const { hostedUi } = stores.idp;
    hostedUi.insertCode({
      codeHash: 'once',
      poolId: 'p',
      clientId: 'c',
      sub: 'sub-ada',
      redirectUri: 'http://localhost/cb',
      scopes: [],
      nonce: undefined,
      codeChallenge: undefined,
      authTime: 1,
      expiresAt: T0 + 300_000,
    });
    hostedUi.useCode('once', T0);
    expect(hostedUi.setCodeOrigin('once', 'jti-2')).toEqual({ replayed: false });
    expect(hostedUi.useCode('once', T0 + 1)).toMatchObject({
      reason: 'replayed',
      code: { originJti: 'jti-2' },
    });
  });
});
