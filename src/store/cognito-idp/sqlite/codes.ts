import type { Db } from '../../db.js';
import type { VerificationCodeRecord } from '../records.js';
import type { CodeStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

/** Verification codes (one slot per user and purpose) and the per-user attempt counts, in SQLite. */
export class SqliteCodeStore implements CodeStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      putCode: `INSERT OR REPLACE INTO codes (pool_id, ukey, purpose, code_hash, expires_at, attempts, created_at)
        VALUES (?, ?, ?, ?, ?, 0, ?)`,
      getCode: 'SELECT * FROM codes WHERE pool_id = ? AND ukey = ? AND purpose = ?',
      bumpCode: 'UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND ukey = ? AND purpose = ?',
      deleteCode: 'DELETE FROM codes WHERE pool_id = ? AND ukey = ? AND purpose = ?',
      // A fixed window from the first attempt; the count is bumped in SQL, so concurrent attempts all count.
      countAttempt: `INSERT INTO code_limits (pool_id, ukey, family, window_start, count)
        VALUES (@pool_id, @ukey, @family, @now, 1)
        ON CONFLICT (pool_id, ukey, family) DO UPDATE SET
          count = CASE WHEN @now - window_start >= @window THEN 1 ELSE count + 1 END,
          window_start = CASE WHEN @now - window_start >= @window THEN @now ELSE window_start END
        RETURNING count`,
      getAttempts:
        'SELECT window_start, count FROM code_limits WHERE pool_id = ? AND ukey = ? AND family = ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  put(poolId: string, ukey: string, purpose: string, codeHash: string, expiresAt: number, now: number): void {
    this.#s.putCode.run(poolId, ukey, purpose, codeHash, expiresAt, now);
  }
  get(poolId: string, ukey: string, purpose: string): VerificationCodeRecord | undefined {
    const r = this.#s.getCode.get(poolId, ukey, purpose) as
      | { code_hash: string; expires_at: number; attempts: number; created_at: number }
      | undefined;
    return (
      r && { codeHash: r.code_hash, expiresAt: r.expires_at, attempts: r.attempts, createdAt: r.created_at }
    );
  }
  bumpAttempts(poolId: string, ukey: string, purpose: string): void {
    this.#s.bumpCode.run(poolId, ukey, purpose);
  }
  delete(poolId: string, ukey: string, purpose: string): void {
    this.#s.deleteCode.run(poolId, ukey, purpose);
  }
  countAttempt(poolId: string, ukey: string, family: string, now: number, windowMs: number): number {
    const r = this.#s.countAttempt.get({ pool_id: poolId, ukey, family, now, window: windowMs }) as {
      count: number;
    };
    return r.count;
  }
  attempts(poolId: string, ukey: string, family: string, now: number, windowMs: number): number {
    const r = this.#s.getAttempts.get(poolId, ukey, family) as
      | { window_start: number; count: number }
      | undefined;
    return r && now - r.window_start < windowMs ? r.count : 0;
  }
}
