import type { Db } from '../../db.js';
import type { AuthorizationCodeRecord, HostedUiSessionData, HostedUiSessionRecord } from '../records.js';
import type { CodeUse, HostedUiStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

interface CodeRow {
  code_hash: string;
  pool_id: string;
  client_id: string;
  sub: string;
  redirect_uri: string;
  scopes: string;
  nonce: string | null;
  code_challenge: string | null;
  auth_time: number;
  expires_at: number;
  used_at: number | null;
  origin_jti: string | null;
}

const codeFromRow = (r: CodeRow): AuthorizationCodeRecord => ({
  codeHash: r.code_hash,
  poolId: r.pool_id,
  clientId: r.client_id,
  sub: r.sub,
  redirectUri: r.redirect_uri,
  scopes: r.scopes === '' ? [] : r.scopes.split(' '),
  nonce: r.nonce ?? undefined,
  codeChallenge: r.code_challenge ?? undefined,
  authTime: r.auth_time,
  expiresAt: r.expires_at,
  usedAt: r.used_at ?? undefined,
  originJti: r.origin_jti ?? undefined,
});

/** The Hosted UI's browser sessions and authorization codes in SQLite (tables of migrations 2 and 4). */
export class SqliteHostedUiStore implements HostedUiStore {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      putSession: 'INSERT OR REPLACE INTO hosted_ui_sessions (id_hash, data, expires_at) VALUES (?, ?, ?)',
      getSession: 'SELECT * FROM hosted_ui_sessions WHERE id_hash = ?',
      deleteSession: 'DELETE FROM hosted_ui_sessions WHERE id_hash = ?',
      insertCode: `INSERT INTO oauth_codes (code_hash, pool_id, client_id, sub, redirect_uri, scopes, nonce,
        code_challenge, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      // Atomic single use: only the first exchange flips used_at.
      useCode: 'UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL RETURNING *',
      // Every later exchange flags the replay, so an exchange still minting its tokens learns of it.
      flagReplay:
        'UPDATE oauth_codes SET replayed_at = coalesce(replayed_at, ?) WHERE code_hash = ? RETURNING *',
      setCodeOrigin: 'UPDATE oauth_codes SET origin_jti = ? WHERE code_hash = ? RETURNING replayed_at',
      purgeSessions: 'DELETE FROM hosted_ui_sessions WHERE expires_at < ?',
      purgeCodes: 'DELETE FROM oauth_codes WHERE expires_at < ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  putSession(s: HostedUiSessionRecord): void {
    this.#s.putSession.run(s.idHash, JSON.stringify(s.data), s.expiresAt);
  }
  getSession(idHash: string): HostedUiSessionRecord | undefined {
    const r = this.#s.getSession.get(idHash) as
      | { id_hash: string; data: string; expires_at: number }
      | undefined;
    return (
      r && { idHash: r.id_hash, data: JSON.parse(r.data) as HostedUiSessionData, expiresAt: r.expires_at }
    );
  }
  deleteSession(idHash: string): void {
    this.#s.deleteSession.run(idHash);
  }

  insertCode(c: Omit<AuthorizationCodeRecord, 'usedAt' | 'originJti'>): void {
    this.#s.insertCode.run(
      c.codeHash,
      c.poolId,
      c.clientId,
      c.sub,
      c.redirectUri,
      c.scopes.join(' '),
      c.nonce ?? null,
      c.codeChallenge ?? null,
      c.authTime,
      c.expiresAt,
    );
  }
  useCode(codeHash: string, now: number): CodeUse {
    return this.#db
      .transaction((): CodeUse => {
        const used = this.#s.useCode.get(now, codeHash) as CodeRow | undefined;
        if (used) return { ok: true, code: codeFromRow(used) };
        const replayed = this.#s.flagReplay.get(now, codeHash) as CodeRow | undefined;
        if (!replayed) return { ok: false, reason: 'missing' };
        return { ok: false, reason: 'replayed', code: codeFromRow(replayed) };
      })
      .immediate();
  }
  setCodeOrigin(codeHash: string, originJti: string): { replayed: boolean } {
    const r = this.#s.setCodeOrigin.get(originJti, codeHash) as { replayed_at: number | null } | undefined;
    return { replayed: r?.replayed_at != null };
  }
  purgeExpired(now: number): void {
    this.#s.purgeSessions.run(now);
    this.#s.purgeCodes.run(now - 3600_000);
  }
}
