import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db.js';
import type { UserRecord, UserStatus } from '../records.js';
import type { AliasColumn, LockoutRules, PasswordWrite, UserStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

export interface UserRow {
  pool_id: string;
  ukey: string;
  username: string;
  sub: string;
  email: string | null;
  phone: string | null;
  preferred_username: string | null;
  status: UserStatus;
  enabled: number;
  attributes: string;
  srp_salt: string | null;
  srp_verifier: string | null;
  temp_password_expires_at: number | null;
  failed_attempts: number;
  locked_until: number;
  last_failed_at: number;
  created_at: number;
  updated_at: number;
}

export const userFromRow = (r: UserRow): UserRecord => ({
  poolId: r.pool_id,
  ukey: r.ukey,
  username: r.username,
  sub: r.sub,
  status: r.status,
  enabled: r.enabled === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  srpSalt: r.srp_salt ?? undefined,
  srpVerifier: r.srp_verifier ?? undefined,
  tempPasswordExpiresAt: r.temp_password_expires_at ?? undefined,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
  lastFailedAt: r.last_failed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Alias columns are indexed lower-cased so sign-in by email or phone is one index probe. */
const aliasColumns = (attributes: Record<string, string>) => ({
  email: attributes.email?.toLowerCase() ?? null,
  phone: attributes.phone_number ?? null,
  preferred_username: attributes.preferred_username?.toLowerCase() ?? null,
});

/** The users table's columns, in the order of {@link userRow}'s keys. */
const USER_COLUMNS = [
  'pool_id',
  'ukey',
  'username',
  'sub',
  'email',
  'phone',
  'preferred_username',
  'status',
  'enabled',
  'attributes',
  'srp_salt',
  'srp_verifier',
  'temp_password_expires_at',
  'failed_attempts',
  'locked_until',
  'last_failed_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof UserRow)[];
/** Rows per statement in {@link SqliteUserStore.insertMany}: 18 columns x 50 stays under SQLite's 32,766 variables. */
const INSERT_BATCH = 50;

/** A user as its row. */
const userRow = (u: UserRecord): UserRow => ({
  pool_id: u.poolId,
  ukey: u.ukey,
  username: u.username,
  sub: u.sub,
  ...aliasColumns(u.attributes),
  status: u.status,
  enabled: u.enabled ? 1 : 0,
  attributes: JSON.stringify(u.attributes),
  srp_salt: u.srpSalt ?? null,
  srp_verifier: u.srpVerifier ?? null,
  temp_password_expires_at: u.tempPasswordExpiresAt ?? null,
  failed_attempts: u.failedAttempts,
  locked_until: u.lockedUntil,
  last_failed_at: u.lastFailedAt,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

/** The failure count an attempt starts from: 0 again after a quiet period (and never during a lock). */
const BASE_COUNT = 'CASE WHEN @now - last_failed_at >= @reset_after THEN 0 ELSE failed_attempts END';
/** After the free attempts, each failure locks for 2^(n - free) s, capped (the shift is bounded to stay exact). */
const LOCK_UNTIL = `CASE WHEN ${BASE_COUNT} + 1 >= @free
  THEN @now + min((1 << min(${BASE_COUNT} + 1 - @free, 20)) * 1000, @max_lock) ELSE 0 END`;

/**
 * Users in SQLite. Each write touches only the columns it changes, on the stored row: no operation writes back a
 * copy it read before an await.
 */
export class SqliteUserStore implements UserStore {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      insertUser: `INSERT INTO users (pool_id, ukey, username, sub, email, phone, preferred_username, status, enabled,
        attributes, srp_salt, srp_verifier, temp_password_expires_at, failed_attempts, locked_until, last_failed_at,
        created_at, updated_at) VALUES (@pool_id, @ukey, @username, @sub, @email, @phone, @preferred_username, @status,
        @enabled, @attributes, @srp_salt, @srp_verifier, @temp_password_expires_at, @failed_attempts, @locked_until,
        @last_failed_at, @created_at, @updated_at)`,
      getUser: 'SELECT * FROM users WHERE pool_id = ? AND ukey = ?',
      getUserBySub: 'SELECT * FROM users WHERE pool_id = ? AND sub = ?',
      usersByEmail: 'SELECT * FROM users WHERE pool_id = ? AND email = ? LIMIT 10',
      usersByPhone: 'SELECT * FROM users WHERE pool_id = ? AND phone = ? LIMIT 10',
      usersByPreferred: 'SELECT * FROM users WHERE pool_id = ? AND preferred_username = ? LIMIT 10',
      listUsers: 'SELECT * FROM users WHERE pool_id = ? AND ukey > ? ORDER BY ukey LIMIT ?',
      deleteUser: 'DELETE FROM users WHERE pool_id = ? AND ukey = ?',
      countUsers: 'SELECT COUNT(*) AS n FROM users WHERE pool_id = ?',
      setEnabled: 'UPDATE users SET enabled = ?, updated_at = ? WHERE pool_id = ? AND ukey = ?',
      setStatus: `UPDATE users SET status = @to, updated_at = @now
        WHERE pool_id = @pool_id AND ukey = @ukey AND (@from IS NULL OR status = @from)`,
      setPassword: `UPDATE users SET srp_salt = @salt, srp_verifier = @verifier, status = @status,
        temp_password_expires_at = @temp_expires, failed_attempts = 0, locked_until = 0, updated_at = @now
        WHERE pool_id = @pool_id AND ukey = @ukey AND (@expect IS NULL OR srp_verifier = @expect)`,
      setAttributes: `UPDATE users SET attributes = @attributes, email = @email, phone = @phone,
        preferred_username = @preferred_username, updated_at = @now WHERE pool_id = @pool_id AND ukey = @ukey`,
      beginAttempt: `UPDATE users SET failed_attempts = ${BASE_COUNT} + 1, locked_until = ${LOCK_UNTIL},
        last_failed_at = @now WHERE pool_id = @pool_id AND ukey = @ukey AND locked_until <= @now RETURNING *`,
      clearAttempts: `UPDATE users SET failed_attempts = 0, locked_until = 0
        WHERE pool_id = ? AND ukey = ? AND (failed_attempts <> 0 OR locked_until <> 0)`,
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  /** The multi-row INSERT of {@link insertMany}, prepared on first use. */
  #insertBatch: Statement | undefined;

  insertMany(users: readonly UserRecord[]): void {
    this.#insertBatch ??= this.#db.prepare(
      `INSERT INTO users (${USER_COLUMNS.join(', ')}) VALUES ${Array.from(
        { length: INSERT_BATCH },
        () => `(${USER_COLUMNS.map(() => '?').join(', ')})`,
      ).join(', ')}`,
    );
    let i = 0;
    for (; i + INSERT_BATCH <= users.length; i += INSERT_BATCH) {
      const values: unknown[] = [];
      for (let j = i; j < i + INSERT_BATCH; j++) {
        const row = userRow(users[j] as UserRecord);
        for (const c of USER_COLUMNS) values.push(row[c]);
      }
      this.#insertBatch.run(values);
    }
    for (; i < users.length; i++) this.insert(users[i] as UserRecord);
  }

  insert(u: UserRecord): void {
    this.#s.insertUser.run(userRow(u));
  }
  get(poolId: string, ukey: string): UserRecord | undefined {
    const r = this.#s.getUser.get(poolId, ukey) as UserRow | undefined;
    return r && userFromRow(r);
  }
  bySub(poolId: string, sub: string): UserRecord | undefined {
    const r = this.#s.getUserBySub.get(poolId, sub) as UserRow | undefined;
    return r && userFromRow(r);
  }
  byAlias(poolId: string, column: AliasColumn, value: string): UserRecord[] {
    const stmt =
      column === 'email'
        ? this.#s.usersByEmail
        : column === 'phone'
          ? this.#s.usersByPhone
          : this.#s.usersByPreferred;
    const v = column === 'phone' ? value : value.toLowerCase();
    return (stmt.all(poolId, v) as UserRow[]).map(userFromRow);
  }
  list(poolId: string, afterUkey: string, limit: number): UserRecord[] {
    return (this.#s.listUsers.all(poolId, afterUkey, limit) as UserRow[]).map(userFromRow);
  }
  count(poolId: string): number {
    return (this.#s.countUsers.get(poolId) as { n: number }).n;
  }
  delete(poolId: string, ukey: string): boolean {
    return this.#s.deleteUser.run(poolId, ukey).changes > 0;
  }

  setEnabled(poolId: string, ukey: string, enabled: boolean, now: number): boolean {
    return this.#s.setEnabled.run(enabled ? 1 : 0, now, poolId, ukey).changes > 0;
  }
  setStatus(poolId: string, ukey: string, to: UserStatus, now: number, from?: UserStatus): boolean {
    return this.#s.setStatus.run({ pool_id: poolId, ukey, to, now, from: from ?? null }).changes > 0;
  }
  setPassword(poolId: string, ukey: string, p: PasswordWrite): boolean {
    return (
      this.#s.setPassword.run({
        pool_id: poolId,
        ukey,
        salt: p.salt,
        verifier: p.verifier,
        status: p.status,
        temp_expires: p.tempPasswordExpiresAt ?? null,
        now: p.now,
        expect: p.expectVerifier ?? null,
      }).changes > 0
    );
  }
  patchAttributes(
    poolId: string,
    ukey: string,
    set: Record<string, string>,
    remove: readonly string[],
    now: number,
  ): UserRecord | undefined {
    // Read and write in one synchronous IMMEDIATE transaction: nothing, in this process or another, changes the row
    // in between.
    return this.#db
      .transaction(() => {
        const user = this.get(poolId, ukey);
        if (!user) return undefined;
        const attributes = { ...user.attributes, ...set };
        for (const k of remove) delete attributes[k];
        this.#s.setAttributes.run({
          pool_id: poolId,
          ukey,
          attributes: JSON.stringify(attributes),
          ...aliasColumns(attributes),
          now,
        });
        return { ...user, attributes, updatedAt: now };
      })
      .immediate();
  }
  beginPasswordAttempt(
    poolId: string,
    ukey: string,
    now: number,
    rules: LockoutRules,
  ): { locked: false; user: UserRecord } | { locked: true } | undefined {
    const row = this.#s.beginAttempt.get({
      pool_id: poolId,
      ukey,
      now,
      reset_after: rules.resetAfterMs,
      free: rules.freeAttempts,
      max_lock: rules.maxLockMs,
    }) as UserRow | undefined;
    if (row) return { locked: false, user: userFromRow(row) };
    return this.#s.getUser.get(poolId, ukey) ? { locked: true } : undefined;
  }
  clearFailedAttempts(poolId: string, ukey: string): void {
    this.#s.clearAttempts.run(poolId, ukey);
  }
}
