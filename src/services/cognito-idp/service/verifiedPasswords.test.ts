import { describe, expect, it } from 'vitest';
import { createVerifier } from '../srp/index.js';
import { VerifiedPasswords } from './verifiedPasswords.js';

const POOL = 'us-east-1_Pool';
const { salt, verifier } = createVerifier(POOL, 'alice', 'Right-Passw0rd');

describe('remembered password checks', () => {
  it('matches only the remembered password, for the same user and the same verifier', () => {
    const v = new VerifiedPasswords();
    expect(v.matches(POOL, 'alice', 'alice', 'Right-Passw0rd', salt, verifier)).toBe(false);
    v.remember(POOL, 'alice', 'alice', 'Right-Passw0rd', salt, verifier);
    expect(v.matches(POOL, 'alice', 'alice', 'Right-Passw0rd', salt, verifier)).toBe(true);
    expect(v.matches(POOL, 'alice', 'alice', 'Wrong-Passw0rd', salt, verifier)).toBe(false);
    expect(v.matches(POOL, 'bob', 'bob', 'Right-Passw0rd', salt, verifier)).toBe(false);
    expect(v.matches('us-east-1_Other', 'alice', 'alice', 'Right-Passw0rd', salt, verifier)).toBe(false);
  });

  it('forgets a password once the stored verifier changes (a new password, a reset, a new user of that name)', () => {
    const v = new VerifiedPasswords();
    v.remember(POOL, 'alice', 'alice', 'Right-Passw0rd', salt, verifier);
    const next = createVerifier(POOL, 'alice', 'Right-Passw0rd');
    expect(v.matches(POOL, 'alice', 'alice', 'Right-Passw0rd', next.salt, next.verifier)).toBe(false);
  });

  it('keeps at most its capacity, dropping the least recently used, and nothing at capacity 0', () => {
    const v = new VerifiedPasswords(2);
    for (const u of ['a', 'b']) v.remember(POOL, u, u, 'pw', salt, verifier);
    expect(v.matches(POOL, 'a', 'a', 'pw', salt, verifier)).toBe(true);
    v.remember(POOL, 'c', 'c', 'pw', salt, verifier);
    expect(v.size).toBe(2);
    expect(v.matches(POOL, 'b', 'b', 'pw', salt, verifier)).toBe(false);
    expect(v.matches(POOL, 'a', 'a', 'pw', salt, verifier)).toBe(true);
    const off = new VerifiedPasswords(0);
    off.remember(POOL, 'a', 'a', 'pw', salt, verifier);
    expect(off.size).toBe(0);
  });

  it('never throws on a malformed stored salt', () => {
    const v = new VerifiedPasswords();
    v.remember(POOL, 'a', 'a', 'pw', 'not hex', verifier);
    expect(v.matches(POOL, 'a', 'a', 'pw', 'not hex', verifier)).toBe(false);
  });
});
