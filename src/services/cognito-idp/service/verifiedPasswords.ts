import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as srp from '../srp/index.js';

/** How many users' last correct password checks are kept by default. */
export const VERIFIED_PASSWORDS_DEFAULT = 1024;

/**
 * The password checks that succeeded lately, in memory, so that a user who signs in again with the same password
 * skips the 3072-bit modexp of recomputing the SRP verifier (0.6 ms of CPU, more than half of a sign-in).
 *
 * - What is kept, per user: the verifier the password matched and an HMAC of the password's SRP digest x (two
 *   SHA-256, see {@link srp.passwordDigest}) under a random key drawn when the process starts. Neither the password
 *   nor x is kept; nothing is written to disk; the key dies with the process.
 * - Only a correct password takes the short way: the offered password must give the very tag remembered for the very
 *   verifier stored now. Any other password (a wrong one, or one set since) costs the full check as before, so a
 *   wrong guess takes as long as ever and as long as a guess at an unknown user (PreventUserExistenceErrors).
 * - A new password, a new user under the same name or a reset all change the verifier, so an old entry never matches.
 * - Least recently used entries go first, at most `capacity` of them (0 turns the cache off).
 * The lockout is not affected: each attempt is still counted before the check and cleared after it.
 */
export class VerifiedPasswords {
  readonly #key = randomBytes(32);
  readonly #entries = new Map<string, { verifier: string; tag: Buffer }>();

  constructor(private readonly capacity = VERIFIED_PASSWORDS_DEFAULT) {}

  #tag(poolId: string, userIdForSrp: string, password: string, salt: string, verifier: string): Buffer {
    return createHmac('sha256', this.#key)
      .update(`${verifier}\0`)
      .update(srp.passwordDigest(poolId, userIdForSrp, password, salt))
      .digest();
  }

  /** Whether `password` is the one that last matched this verifier for this user. */
  matches(
    poolId: string,
    ukey: string,
    userIdForSrp: string,
    password: string,
    salt: string,
    verifier: string,
  ): boolean {
    const key = `${poolId}\0${ukey}`;
    const entry = this.#entries.get(key);
    if (!entry || entry.verifier !== verifier || typeof password !== 'string') return false;
    let tag: Buffer;
    try {
      tag = this.#tag(poolId, userIdForSrp, password, salt, verifier);
    } catch {
      return false;
    }
    if (!timingSafeEqual(tag, entry.tag)) return false;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return true;
  }

  /** Remembers a password the full check found correct for this verifier. */
  remember(
    poolId: string,
    ukey: string,
    userIdForSrp: string,
    password: string,
    salt: string,
    verifier: string,
  ): void {
    if (this.capacity <= 0) return;
    let tag: Buffer;
    try {
      tag = this.#tag(poolId, userIdForSrp, password, salt, verifier);
    } catch {
      return;
    }
    const key = `${poolId}\0${ukey}`;
    this.#entries.delete(key);
    this.#entries.set(key, { verifier, tag });
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** How many users are remembered (for tests). */
  get size(): number {
    return this.#entries.size;
  }
}
