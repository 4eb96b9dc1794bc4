/**
 * The user pool service's store, by aggregate. Every state change is one targeted write (a counter bumped in SQL, a
 * status changed only from the state the caller expects, a password replaced only over the one it checked), so
 * concurrent operations never undo each other by writing back a stale copy of a row.
 */

import type { BrandingStore } from './branding.js';
import type { DeviceStore } from './devices.js';
import type {
  AuthEventRecord,
  AuthorizationCodeRecord,
  AuthSessionRecord,
  ClientRecord,
  GroupRecord,
  HostedUiSessionRecord,
  MailMessage,
  MfaFactor,
  MfaSettingsRecord,
  OutboxEntry,
  PoolRecord,
  RefreshTokenRecord,
  ResourceServerRecord,
  StoredKeyRecord,
  UserRecord,
  UserStatus,
  VerificationCodeRecord,
} from './records.js';
import type { WebAuthnStore } from './webauthn.js';

/** Pools with their signing keys, domains and resource servers. */
export interface PoolStore {
  insert(p: PoolRecord): void;
  update(p: PoolRecord): void;
  /** Sets only these top-level config fields (SetUserPoolMfaConfig), in one statement; undefined clears one. */
  setConfigFields(id: string, fields: Record<string, unknown>, now: number): void;
  get(id: string): PoolRecord | undefined;
  list(after: string, limit: number): PoolRecord[];
  delete(id: string): boolean;
  insertKeys(poolId: string, keys: StoredKeyRecord[], now: number): void;
  listKeys(poolId: string): StoredKeyRecord[];
  setDomain(domain: string, poolId: string): void;
  poolIdOfDomain(domain: string): string | undefined;
  domainOfPool(poolId: string): string | undefined;
  putResourceServer(r: ResourceServerRecord): void;
  listResourceServers(poolId: string): ResourceServerRecord[];
  /** DeleteUserPoolDomain; false when no pool had it. */
  deleteDomain(domain: string): boolean;
  /** DeleteResourceServer; false when the pool had none with this identifier. */
  deleteResourceServer(poolId: string, identifier: string): boolean;
}

export interface ClientStore {
  insert(c: ClientRecord): void;
  update(c: ClientRecord): void;
  get(id: string): ClientRecord | undefined;
  list(poolId: string, after: string, limit: number): ClientRecord[];
  delete(id: string): boolean;
}

export type AliasColumn = 'email' | 'phone' | 'preferred_username';

/** The lockout rules the store applies atomically when a password attempt begins. */
export interface LockoutRules {
  /** Failures allowed before the first lock. */
  freeAttempts: number;
  maxLockMs: number;
  /** A quiet period after which the failure count starts again. */
  resetAfterMs: number;
}

/** A new SRP verifier, written only over the expected one when `expectVerifier` is given. */
export interface PasswordWrite {
  salt: string;
  verifier: string;
  status: UserStatus;
  tempPasswordExpiresAt: number | undefined;
  now: number;
  /** Compare-and-set: the write happens only if the stored verifier is still this one. */
  expectVerifier?: string | undefined;
}

export interface UserStore {
  insert(u: UserRecord): void;
  /**
   * Inserts many users with multi-row INSERTs (bulk seeding): call it inside one `tx`, so the whole batch is one
   * commit. Same rows as {@link insert}, one by one.
   */
  insertMany(users: readonly UserRecord[]): void;
  get(poolId: string, ukey: string): UserRecord | undefined;
  bySub(poolId: string, sub: string): UserRecord | undefined;
  /** Users whose alias column equals `value` (lower-cased for email and preferred_username). */
  byAlias(poolId: string, column: AliasColumn, value: string): UserRecord[];
  list(poolId: string, afterUkey: string, limit: number): UserRecord[];
  count(poolId: string): number;
  delete(poolId: string, ukey: string): boolean;
  /** Sets Enabled; false when the user is gone. */
  setEnabled(poolId: string, ukey: string, enabled: boolean, now: number): boolean;
  /** Moves the user to `to`, only from `from` when given; false when the user was not in that state. */
  setStatus(poolId: string, ukey: string, to: UserStatus, now: number, from?: UserStatus): boolean;
  /** Replaces the password (and resets the lockout); false when the user is gone or the verifier moved on. */
  setPassword(poolId: string, ukey: string, p: PasswordWrite): boolean;
  /**
   * Sets and removes attributes on the stored row (never on a caller's copy) and returns the user as written, or
   * undefined when the user is gone.
   */
  patchAttributes(
    poolId: string,
    ukey: string,
    set: Record<string, string>,
    remove: readonly string[],
    now: number,
  ): UserRecord | undefined;
  /**
   * Starts a password check: counts it as a failure up front and sets the lock the failure would earn, atomically,
   * so a burst of concurrent attempts is judged one at a time against the count. Returns the user as stored, or
   * `locked` while a lockout lasts (the attempt then is not counted), or undefined when the user is gone.
   */
  beginPasswordAttempt(
    poolId: string,
    ukey: string,
    now: number,
    rules: LockoutRules,
  ): { locked: false; user: UserRecord } | { locked: true } | undefined;
  /** A correct password: the failure count and lock start again. */
  clearFailedAttempts(poolId: string, ukey: string): void;
}

export interface GroupStore {
  insert(g: GroupRecord): void;
  update(g: GroupRecord): void;
  get(poolId: string, name: string): GroupRecord | undefined;
  list(poolId: string, after: string, limit: number): GroupRecord[];
  delete(poolId: string, name: string): boolean;
  addUser(poolId: string, ukey: string, group: string): void;
  removeUser(poolId: string, ukey: string, group: string): void;
  groupsOfUser(poolId: string, ukey: string, after?: string, limit?: number): GroupRecord[];
  usersInGroup(poolId: string, group: string, afterUkey: string, limit: number): UserRecord[];
}

/** Verification codes: one slot per (user, purpose), plus a per-user count of requests and wrong guesses. */
export interface CodeStore {
  /** Replaces the code of that purpose (its own wrong-guess count starts at 0). */
  put(poolId: string, ukey: string, purpose: string, codeHash: string, expiresAt: number, now: number): void;
  get(poolId: string, ukey: string, purpose: string): VerificationCodeRecord | undefined;
  bumpAttempts(poolId: string, ukey: string, purpose: string): void;
  delete(poolId: string, ukey: string, purpose: string): void;
  /**
   * Counts one attempt (a code request or a wrong guess) against the user's budget for `family` in a fixed window
   * starting at the first attempt; returns the count in the current window, this one included.
   */
  countAttempt(poolId: string, ukey: string, family: string, now: number, windowMs: number): number;
  /** The attempts counted in the current window, without counting one. */
  attempts(poolId: string, ukey: string, family: string, now: number, windowMs: number): number;
}

/** Sign-ins (auth events) and refresh tokens. */
export interface TokenStore {
  insertAuthEvent(e: Omit<AuthEventRecord, 'revoked'>): void;
  getAuthEvent(originJti: string): AuthEventRecord | undefined;
  revokeAuthEvent(originJti: string): void;
  /** Ends every sign-in of the user (GlobalSignOut): their refresh tokens and access tokens stop working. */
  revokeUserAuthEvents(poolId: string, sub: string): number;
  insertRefreshToken(t: RefreshTokenRecord): void;
  getRefreshToken(tokenHash: string): RefreshTokenRecord | undefined;
  /**
   * Rotation, in one transaction: marks `tokenHash` replaced at `now` (a retry keeps the first time), inserts the new
   * token and makes the sign-in outlive it. Refused (false, nothing written) when the token was already replaced at or
   * before `graceCutoff`, so of two concurrent refreshes without a grace period only one gets a new token.
   */
  rotateRefreshToken(
    tokenHash: string,
    next: RefreshTokenRecord,
    signInExpiresAt: number,
    now: number,
    graceCutoff: number,
  ): boolean;
}

/** Challenge sessions of the sign-in API. */
export interface ChallengeSessionStore {
  insert(s: AuthSessionRecord): void;
  /** Removes and returns the session: a challenge session answers exactly one response. */
  take(id: string): AuthSessionRecord | undefined;
}

/** The outcome of marking an authorization code used. */
export type CodeUse =
  | { ok: true; code: AuthorizationCodeRecord }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'replayed'; code: AuthorizationCodeRecord };

/**
 * The Hosted UI's server-side state: browser sessions and authorization codes, both keyed by hashes so the store
 * never holds a usable cookie or code.
 */
export interface HostedUiStore {
  putSession(s: HostedUiSessionRecord): void;
  getSession(idHash: string): HostedUiSessionRecord | undefined;
  deleteSession(idHash: string): void;
  insertCode(c: Omit<AuthorizationCodeRecord, 'usedAt' | 'originJti'>): void;
  /**
   * Marks the code used and returns it, or reports why it cannot be used: `missing` (never issued or purged) or
   * `replayed` (already exchanged; the code is also flagged replayed, so an exchange still minting learns of it).
   */
  useCode(codeHash: string, now: number): CodeUse;
  /**
   * Records the sign-in a code was exchanged for. Returns `replayed: true` when the code was replayed while the
   * tokens were being minted: the caller must then revoke that sign-in, as a later replay would.
   */
  setCodeOrigin(codeHash: string, originJti: string): { replayed: boolean };
  /** Drops expired sessions, and codes an hour past their expiry (a late replay still finds them). */
  purgeExpired(now: number): void;
}

/** The durable record of every message the pool sent: the source of `GET inboxUrl?to=`. */
export interface Outbox {
  append(m: MailMessage, sentAtMs: number): OutboxEntry;
  /** Newest first; `to` matches case-insensitively; `limit` caps the count. */
  list(to?: string, limit?: number): OutboxEntry[];
}

/** Users' MFA settings, each write a targeted update. */
export interface MfaStore {
  get(poolId: string, ukey: string): MfaSettingsRecord;
  /** A new, unverified TOTP secret (AssociateSoftwareToken): TOTP is off until it is verified. */
  setPendingTotp(poolId: string, ukey: string, secret: string): void;
  /** VerifySoftwareToken: marks the pending secret verified and TOTP enabled, if `secret` is still the pending one. */
  confirmTotp(poolId: string, ukey: string, secret: string, step: number): boolean;
  /** Accepts TOTP step `step` only if it is later than the last accepted one (atomic; false on a replay). */
  useTotpStep(poolId: string, ukey: string, step: number): boolean;
  /** Sets what is given: enabled flags per factor, and the preferred factor (null clears it). */
  setPreferences(
    poolId: string,
    ukey: string,
    enabled: Partial<Record<MfaFactor, boolean>>,
    preferred: MfaFactor | null | undefined,
  ): void;
}

/** Everything the user pool service keeps, by aggregate. */
export interface IdpStore {
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly codes: CodeStore;
  readonly tokens: TokenStore;
  readonly sessions: ChallengeSessionStore;
  readonly hostedUi: HostedUiStore;
  readonly mfa: MfaStore;
  /** Users' passkeys. */
  readonly webauthn: WebAuthnStore;
  /** Users' tracked devices (DeviceConfiguration). */
  readonly devices: DeviceStore;
  /** Hosted UI customizations (SetUICustomization) and managed login branding styles. */
  readonly branding: BrandingStore;
  /** Runs `fn` in one transaction (nested calls join the outer one); `fn` must not await. */
  tx<T>(fn: () => T): T;
  /** Drops expired challenge sessions and long-expired sign-in events. */
  purgeExpired(now: number): void;
}
