import type { Db } from '../../db.js';
import type { AuthEventRecord, RefreshTokenRecord } from '../records.js';
import type { TokenStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

/** Sign-ins (auth events) and refresh tokens in SQLite. */
export class SqliteTokenStore implements TokenStore {
  readonly #s;

  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      insertAuthEvent: `INSERT INTO auth_events (origin_jti, pool_id, client_id, sub, auth_time, revoked, expires_at,
        device_key) VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
      getAuthEvent: 'SELECT * FROM auth_events WHERE origin_jti = ?',
      revokeAuthEvent: 'UPDATE auth_events SET revoked = 1 WHERE origin_jti = ?',
      revokeUserEvents: 'UPDATE auth_events SET revoked = 1 WHERE pool_id = ? AND sub = ? AND revoked = 0',
      insertRefresh: `INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, client_id, sub, scopes, expires_at,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      getRefresh: 'SELECT * FROM refresh_tokens WHERE token_hash = ?',
      markRotated: `UPDATE refresh_tokens SET rotated_at = COALESCE(rotated_at, @now)
        WHERE token_hash = @hash AND (rotated_at IS NULL OR rotated_at > @cutoff)`,
      extendEvent: 'UPDATE auth_events SET expires_at = MAX(expires_at, ?) WHERE origin_jti = ?',
      purgeEvents: 'DELETE FROM auth_events WHERE expires_at < ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  insertAuthEvent(e: Omit<AuthEventRecord, 'revoked'>): void {
    this.#s.insertAuthEvent.run(
      e.originJti,
      e.poolId,
      e.clientId,
      e.sub,
      e.authTime,
      e.expiresAt,
      e.deviceKey ?? null,
    );
  }
  getAuthEvent(originJti: string): AuthEventRecord | undefined {
    const r = this.#s.getAuthEvent.get(originJti) as
      | {
          origin_jti: string;
          pool_id: string;
          client_id: string;
          sub: string;
          auth_time: number;
          revoked: number;
          expires_at: number;
          device_key: string | null;
        }
      | undefined;
    return (
      r && {
        originJti: r.origin_jti,
        poolId: r.pool_id,
        clientId: r.client_id,
        sub: r.sub,
        authTime: r.auth_time,
        revoked: r.revoked === 1,
        expiresAt: r.expires_at,
        ...(r.device_key ? { deviceKey: r.device_key } : {}),
      }
    );
  }
  revokeAuthEvent(originJti: string): void {
    this.#s.revokeAuthEvent.run(originJti);
  }
  revokeUserAuthEvents(poolId: string, sub: string): number {
    return this.#s.revokeUserEvents.run(poolId, sub).changes;
  }
  insertRefreshToken(t: RefreshTokenRecord): void {
    this.#s.insertRefresh.run(
      t.tokenHash,
      t.originJti,
      t.poolId,
      t.clientId,
      t.sub,
      t.scopes.join(' '),
      t.expiresAt,
      t.createdAt,
    );
  }
  getRefreshToken(tokenHash: string): RefreshTokenRecord | undefined {
    const r = this.#s.getRefresh.get(tokenHash) as
      | {
          token_hash: string;
          origin_jti: string;
          pool_id: string;
          client_id: string;
          sub: string;
          scopes: string;
          expires_at: number;
          created_at: number;
          rotated_at: number | null;
        }
      | undefined;
    return (
      r && {
        tokenHash: r.token_hash,
        originJti: r.origin_jti,
        poolId: r.pool_id,
        clientId: r.client_id,
        sub: r.sub,
        scopes: r.scopes === '' ? [] : r.scopes.split(' '),
        expiresAt: r.expires_at,
        createdAt: r.created_at,
        rotatedAt: r.rotated_at ?? undefined,
      }
    );
  }
  rotateRefreshToken(
    tokenHash: string,
    next: RefreshTokenRecord,
    signInExpiresAt: number,
    now: number,
    graceCutoff: number,
  ): boolean {
    return this.#db
      .transaction(() => {
        if (this.#s.markRotated.run({ now, hash: tokenHash, cutoff: graceCutoff }).changes !== 1)
          return false;
        this.insertRefreshToken(next);
        this.#s.extendEvent.run(signInExpiresAt, next.originJti);
        return true;
      })
      .immediate();
  }
  /** Drops sign-in records past their expiry (their refresh tokens go with them). */
  purgeExpired(now: number): void {
    this.#s.purgeEvents.run(now);
  }
}
