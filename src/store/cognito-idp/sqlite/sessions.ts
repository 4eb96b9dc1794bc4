import type { Db } from '../../db.js';
import type { AuthSessionRecord } from '../records.js';
import type { ChallengeSessionStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

/** Challenge sessions in SQLite. */
export class SqliteChallengeSessionStore implements ChallengeSessionStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      insertSession:
        'INSERT INTO auth_sessions (id, pool_id, client_id, kind, data, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      takeSession: 'DELETE FROM auth_sessions WHERE id = ? RETURNING *',
      purgeSessions: 'DELETE FROM auth_sessions WHERE expires_at < ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  insert(s: AuthSessionRecord): void {
    this.#s.insertSession.run(s.id, s.poolId, s.clientId, s.kind, JSON.stringify(s.data), s.expiresAt);
  }
  take(id: string): AuthSessionRecord | undefined {
    const r = this.#s.takeSession.get(id) as
      | { id: string; pool_id: string; client_id: string; kind: string; data: string; expires_at: number }
      | undefined;
    return (
      r && {
        id: r.id,
        poolId: r.pool_id,
        clientId: r.client_id,
        kind: r.kind,
        data: JSON.parse(r.data),
        expiresAt: r.expires_at,
      }
    );
  }
  purgeExpired(now: number): void {
    this.#s.purgeSessions.run(now);
  }
}
