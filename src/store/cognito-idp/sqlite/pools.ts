import type { Db } from '../../db.js';
import type { PoolRecord, ResourceServerRecord, StoredKeyRecord } from '../records.js';
import type { PoolStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

interface PoolRow {
  id: string;
  name: string;
  config: string;
  created_at: number;
  updated_at: number;
}

const poolFromRow = (r: PoolRow): PoolRecord => ({
  id: r.id,
  name: r.name,
  config: JSON.parse(r.config),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Pools, their signing keys, domains and resource servers in SQLite. */
export class SqlitePoolStore implements PoolStore {
  readonly #s;

  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      insertPool: 'INSERT INTO pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      updatePool: 'UPDATE pools SET name = ?, config = ?, updated_at = ? WHERE id = ?',
      setConfigField: `UPDATE pools SET config = CASE WHEN @value IS NULL THEN json_remove(config, @path)
        ELSE json_set(config, @path, json(@value)) END, updated_at = @now WHERE id = @id`,
      getPool: 'SELECT * FROM pools WHERE id = ?',
      listPools: 'SELECT * FROM pools WHERE id > ? ORDER BY id LIMIT ?',
      deletePool: 'DELETE FROM pools WHERE id = ?',
      insertKey:
        'INSERT INTO pool_keys (pool_id, kid, use, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      listKeys: 'SELECT * FROM pool_keys WHERE pool_id = ? ORDER BY created_at, kid',
      setDomain: 'INSERT OR REPLACE INTO domains (domain, pool_id) VALUES (?, ?)',
      getDomainPool: 'SELECT pool_id FROM domains WHERE domain = ?',
      getPoolDomain: 'SELECT domain FROM domains WHERE pool_id = ? ORDER BY domain LIMIT 1',
      putResourceServer:
        'INSERT OR REPLACE INTO resource_servers (pool_id, identifier, name, scopes) VALUES (?, ?, ?, ?)',
      listResourceServers: 'SELECT * FROM resource_servers WHERE pool_id = ? ORDER BY identifier',
      deleteDomain: 'DELETE FROM domains WHERE domain = ?',
      deleteResourceServer: 'DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  insert(p: PoolRecord): void {
    this.#s.insertPool.run(p.id, p.name, JSON.stringify(p.config), p.createdAt, p.updatedAt);
  }
  setConfigFields(id: string, fields: Record<string, unknown>, now: number): void {
    // Targeted: each field is set (or removed) inside the stored JSON, nothing else of the row is written back.
    const tx = this.#db.transaction(() => {
      for (const [k, v] of Object.entries(fields)) {
        this.#s.setConfigField.run({
          path: `$."${k.replace(/"/g, '')}"`,
          value: v === undefined ? null : JSON.stringify(v),
          now,
          id,
        });
      }
    });
    tx.immediate();
  }
  update(p: PoolRecord): void {
    this.#s.updatePool.run(p.name, JSON.stringify(p.config), p.updatedAt, p.id);
  }
  get(id: string): PoolRecord | undefined {
    const r = this.#s.getPool.get(id) as PoolRow | undefined;
    return r && poolFromRow(r);
  }
  list(after: string, limit: number): PoolRecord[] {
    return (this.#s.listPools.all(after, limit) as PoolRow[]).map(poolFromRow);
  }
  delete(id: string): boolean {
    return this.#s.deletePool.run(id).changes > 0;
  }

  insertKeys(poolId: string, keys: StoredKeyRecord[], now: number): void {
    for (const k of keys) {
      this.#s.insertKey.run(
        poolId,
        k.kid,
        k.use,
        JSON.stringify(k.privateJwk),
        JSON.stringify(k.publicJwk),
        now,
      );
    }
  }
  listKeys(poolId: string): StoredKeyRecord[] {
    const rows = this.#s.listKeys.all(poolId) as {
      kid: string;
      use: 'id' | 'access';
      private_jwk: string;
      public_jwk: string;
    }[];
    return rows.map((r) => ({
      kid: r.kid,
      use: r.use,
      privateJwk: JSON.parse(r.private_jwk),
      publicJwk: JSON.parse(r.public_jwk),
    }));
  }

  setDomain(domain: string, poolId: string): void {
    this.#s.setDomain.run(domain, poolId);
  }
  poolIdOfDomain(domain: string): string | undefined {
    return (this.#s.getDomainPool.get(domain) as { pool_id: string } | undefined)?.pool_id;
  }
  domainOfPool(poolId: string): string | undefined {
    return (this.#s.getPoolDomain.get(poolId) as { domain: string } | undefined)?.domain;
  }

  deleteDomain(domain: string): boolean {
    return this.#s.deleteDomain.run(domain).changes > 0;
  }
  deleteResourceServer(poolId: string, identifier: string): boolean {
    return this.#s.deleteResourceServer.run(poolId, identifier).changes > 0;
  }

  putResourceServer(r: ResourceServerRecord): void {
    this.#s.putResourceServer.run(r.poolId, r.identifier, r.name, JSON.stringify(r.scopes));
  }
  listResourceServers(poolId: string): ResourceServerRecord[] {
    const rows = this.#s.listResourceServers.all(poolId) as {
      pool_id: string;
      identifier: string;
      name: string;
      scopes: string;
    }[];
    return rows.map((r) => ({
      poolId: r.pool_id,
      identifier: r.identifier,
      name: r.name,
      scopes: JSON.parse(r.scopes),
    }));
  }
}
