import type { Db } from '../../../store/index.js';

/** What a Hosted UI browser session remembers. */
export interface SessionData {
  /**
   * The signed-in user, per pool (one host serves every pool). `expiresAt` (epoch ms) is an hour after the sign-in
   * and travels with it when the session is rotated for a later step, so no rotation can stretch it; sessions stored
   * before it existed end at `authTime` plus the hour.
   */
  signedIn?: { poolId: string; sub: string; authTime: number; expiresAt?: number | undefined } | undefined;
  /**
   * A sign-up started in this browser: confirming it signs the user in, as Cognito's Hosted UI does. Only the sub is
   * kept, never the password.
   */
  pendingSignUp?: { poolId: string; sub: string } | undefined;
  /**
   * A user who signed in with a temporary password (FORCE_CHANGE_PASSWORD) and must choose a new one, as
   * RespondToAuthChallenge NEW_PASSWORD_REQUIRED; it lasts the client's AuthSessionValidity.
   */
  pendingNewPassword?: { poolId: string; sub: string; expiresAt: number } | undefined;
}

export interface SessionRecord {
  idHash: string;
  data: SessionData;
  expiresAt: number;
}

/** An authorization code as stored: only its hash, with everything the token request must match. */
export interface CodeRecord {
  codeHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  /** The S256 challenge, or undefined when the authorize request had no PKCE. */
  codeChallenge: string | undefined;
  authTime: number;
  expiresAt: number;
  usedAt: number | undefined;
  originJti: string | undefined;
}

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

const codeFromRow = (r: CodeRow): CodeRecord => ({
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

/**
 * The Hosted UI's server-side state in the shared SQLite file (tables from migration 2): browser sessions and
 * authorization codes. Both are keyed by hashes, so the database never holds a usable cookie or code.
 */
export class OAuthStore {
  readonly #s;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      putSession: p('INSERT OR REPLACE INTO hosted_ui_sessions (id_hash, data, expires_at) VALUES (?, ?, ?)'),
      getSession: p('SELECT * FROM hosted_ui_sessions WHERE id_hash = ?'),
      deleteSession: p('DELETE FROM hosted_ui_sessions WHERE id_hash = ?'),
      insertCode: p(`INSERT INTO oauth_codes (code_hash, pool_id, client_id, sub, redirect_uri, scopes, nonce,
        code_challenge, auth_time, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      // Atomic single use: only the first exchange flips used_at.
      useCode: p('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL RETURNING *'),
      getCode: p('SELECT * FROM oauth_codes WHERE code_hash = ?'),
      setCodeOrigin: p('UPDATE oauth_codes SET origin_jti = ? WHERE code_hash = ?'),
      purgeSessions: p('DELETE FROM hosted_ui_sessions WHERE expires_at < ?'),
      purgeCodes: p('DELETE FROM oauth_codes WHERE expires_at < ?'),
    };
  }

  putSession(s: SessionRecord): void {
    this.#s.putSession.run(s.idHash, JSON.stringify(s.data), s.expiresAt);
  }

  getSession(idHash: string): SessionRecord | undefined {
    const r = this.#s.getSession.get(idHash) as
      | { id_hash: string; data: string; expires_at: number }
      | undefined;
    return r && { idHash: r.id_hash, data: JSON.parse(r.data) as SessionData, expiresAt: r.expires_at };
  }

  deleteSession(idHash: string): void {
    this.#s.deleteSession.run(idHash);
  }

  insertCode(c: Omit<CodeRecord, 'usedAt' | 'originJti'>): void {
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

  /**
   * Marks the code used and returns it, or reports why it cannot be used: `missing` (never issued or purged) or
   * `replayed` (already exchanged; the record is returned so the caller can revoke what it was exchanged for).
   */
  useCode(
    codeHash: string,
    now: number,
  ):
    | { ok: true; code: CodeRecord }
    | { ok: false; reason: 'missing' }
    | { ok: false; reason: 'replayed'; code: CodeRecord } {
    const used = this.#s.useCode.get(now, codeHash) as CodeRow | undefined;
    if (used) return { ok: true, code: codeFromRow(used) };
    const existing = this.#s.getCode.get(codeHash) as CodeRow | undefined;
    if (!existing) return { ok: false, reason: 'missing' };
    return { ok: false, reason: 'replayed', code: codeFromRow(existing) };
  }

  setCodeOrigin(codeHash: string, originJti: string): void {
    this.#s.setCodeOrigin.run(originJti, codeHash);
  }

  /**
   * Drops expired sessions, and codes well past their expiry: a used code is kept an hour longer than it lives so a
   * replay still finds it and revokes the tokens.
   */
  purgeExpired(now: number): void {
    this.#s.purgeSessions.run(now);
    this.#s.purgeCodes.run(now - 3600_000);
  }
}
