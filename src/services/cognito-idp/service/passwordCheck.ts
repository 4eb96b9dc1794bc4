import type { PoolRecord, UserRecord } from '../../../store/index.js';
import { NotAuthorizedException } from '../errors.js';
import * as srp from '../srp/index.js';
import type { Core } from './core.js';
import { LOCKOUT } from './settings.js';

export const incorrect = () => new NotAuthorizedException('Incorrect username or password.');
/** The server's side of an SRP exchange, as its challenge session keeps it. */
export interface SrpSession {
  A: string;
  b: string;
  B: string;
}

const lockedOut = () => new NotAuthorizedException('Password attempts exceeded');

/**
 * Password checks under Cognito's lockout. Each attempt is counted as a failure up front, with the lock that failure
 * earns, in one SQL update; a correct password then clears the count. Of a burst of concurrent attempts at most the
 * free ones are judged before the lock, as when they come one by one, and no check writes back a stale user.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 */
export class PasswordChecker {
  constructor(private readonly core: Core) {}

  /** Throws "Password attempts exceeded" while the user is locked out (a read: only an attempt counts). */
  checkLock(user: UserRecord): void {
    if (user.lockedUntil > this.core.now()) throw lockedOut();
  }

  /** Starts an attempt: counted, or refused while locked out. Returns the user as stored now. */
  begin(user: UserRecord): UserRecord {
    const r = this.core.store.users.beginPasswordAttempt(user.poolId, user.ukey, this.core.now(), LOCKOUT);
    if (!r) throw incorrect();
    if (r.locked) throw lockedOut();
    return r.user;
  }

  /** A correct password: the failure count starts again. */
  succeeded(user: UserRecord): void {
    this.core.store.users.clearFailedAttempts(user.poolId, user.ukey);
  }

  /** SRP step 2 (see AuthService.passwordClaim): the user as checked, or "Incorrect username or password.". */
  checkClaim(
    pool: PoolRecord,
    user: UserRecord,
    session: SrpSession,
    secretBlock: string,
    responses: Record<string, string>,
  ): UserRecord {
    const current = this.begin(user);
    const ok =
      current.srpSalt !== undefined &&
      current.srpVerifier !== undefined &&
      srp.verifyClaim({
        poolId: pool.id,
        userIdForSrp: current.username,
        saltHex: current.srpSalt,
        verifierHex: current.srpVerifier,
        A: session.A,
        b: session.b,
        B: session.B,
        secretBlockB64: secretBlock,
        timestamp: responses.TIMESTAMP ?? '',
        signatureB64: responses.PASSWORD_CLAIM_SIGNATURE ?? '',
      });
    if (!ok) throw incorrect();
    this.succeeded(current);
    return current;
  }

  /** Checks on the calling thread; returns the user as checked, or undefined (the failure counted). */
  checkSync(pool: PoolRecord, user: UserRecord, password: string): UserRecord | undefined {
    const current = this.begin(user);
    if (current.srpSalt === undefined || current.srpVerifier === undefined) return undefined;
    if (!srp.verifyPassword(pool.id, current.username, password, current.srpSalt, current.srpVerifier)) {
      return undefined;
    }
    this.succeeded(current);
    return current;
  }

  /**
   * Checks with the maths on the SRP workers. Returns the user as stored when the check began (its verifier is the
   * one the password matched), or undefined on a wrong password.
   */
  async checkAsync(pool: PoolRecord, user: UserRecord, password: string): Promise<UserRecord | undefined> {
    const current = this.begin(user);
    if (current.srpSalt === undefined || current.srpVerifier === undefined) return undefined;
    const ok = await this.core.srp.verifyPassword(
      pool.id,
      current.username,
      password,
      current.srpSalt,
      current.srpVerifier,
    );
    if (!ok) return undefined;
    this.succeeded(current);
    return current;
  }
}
