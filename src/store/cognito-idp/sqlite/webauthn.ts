import type { Db } from '../../db.js';
import type { WebAuthnCredentialRecord, WebAuthnStore } from '../webauthn.js';
import { prepareAll, sqlOf } from './statements.js';

interface Row {
  pool_id: string;
  ukey: string;
  credential_id: string;
  public_key: string;
  counter: number;
  rp_id: string;
  friendly_name: string | null;
  attachment: string | null;
  transports: string;
  created_at: number;
}

const toRecord = (r: Row): WebAuthnCredentialRecord => ({
  poolId: r.pool_id,
  ukey: r.ukey,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: r.counter,
  relyingPartyId: r.rp_id,
  friendlyName: r.friendly_name ?? undefined,
  attachment: r.attachment ?? undefined,
  transports: JSON.parse(r.transports) as string[],
  createdAt: r.created_at,
});

/** Passkeys in SQLite (table webauthn_credentials). */
export class SqliteWebAuthnStore implements WebAuthnStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      insert: `INSERT INTO webauthn_credentials
        (pool_id, ukey, credential_id, public_key, counter, rp_id, friendly_name, attachment, transports, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      list: 'SELECT * FROM webauthn_credentials WHERE pool_id = ? AND ukey = ? ORDER BY created_at, credential_id',
      get: 'SELECT * FROM webauthn_credentials WHERE pool_id = ? AND ukey = ? AND credential_id = ?',
      count: 'SELECT COUNT(*) AS n FROM webauthn_credentials WHERE pool_id = ? AND ukey = ?',
      setCounter: `UPDATE webauthn_credentials SET counter = ?
        WHERE pool_id = ? AND ukey = ? AND credential_id = ? AND counter = ?`,
      delete: 'DELETE FROM webauthn_credentials WHERE pool_id = ? AND ukey = ? AND credential_id = ?',
    });
  }

  insert(c: WebAuthnCredentialRecord): void {
    this.#s.insert.run(
      c.poolId,
      c.ukey,
      c.credentialId,
      c.publicKey,
      c.counter,
      c.relyingPartyId,
      c.friendlyName ?? null,
      c.attachment ?? null,
      JSON.stringify(c.transports),
      c.createdAt,
    );
  }

  list(poolId: string, ukey: string): WebAuthnCredentialRecord[] {
    return (this.#s.list.all(poolId, ukey) as Row[]).map(toRecord);
  }

  get(poolId: string, ukey: string, credentialId: string): WebAuthnCredentialRecord | undefined {
    const r = this.#s.get.get(poolId, ukey, credentialId) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  count(poolId: string, ukey: string): number {
    return (this.#s.count.get(poolId, ukey) as { n: number }).n;
  }

  setCounter(poolId: string, ukey: string, credentialId: string, from: number, to: number): boolean {
    return this.#s.setCounter.run(to, poolId, ukey, credentialId, from).changes === 1;
  }

  delete(poolId: string, ukey: string, credentialId: string): boolean {
    return this.#s.delete.run(poolId, ukey, credentialId).changes === 1;
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }
}
