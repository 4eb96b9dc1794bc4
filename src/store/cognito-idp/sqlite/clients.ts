import type { Db } from '../../db.js';
import type { ClientRecord } from '../records.js';
import type { ClientStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';

interface ClientRow {
  id: string;
  pool_id: string;
  name: string;
  secret: string | null;
  config: string;
  created_at: number;
  updated_at: number;
}

const clientFromRow = (r: ClientRow): ClientRecord => ({
  id: r.id,
  poolId: r.pool_id,
  name: r.name,
  secret: r.secret ?? undefined,
  config: JSON.parse(r.config),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** App clients in SQLite. */
export class SqliteClientStore implements ClientStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      insertClient:
        'INSERT INTO clients (id, pool_id, name, secret, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      updateClient:
        'UPDATE clients SET pool_id = ?, name = ?, secret = ?, config = ?, updated_at = ? WHERE id = ?',
      getClient: 'SELECT * FROM clients WHERE id = ?',
      listClients: 'SELECT * FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?',
      deleteClient: 'DELETE FROM clients WHERE id = ?',
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  insert(c: ClientRecord): void {
    this.#s.insertClient.run(
      c.id,
      c.poolId,
      c.name,
      c.secret ?? null,
      JSON.stringify(c.config),
      c.createdAt,
      c.updatedAt,
    );
  }
  update(c: ClientRecord): void {
    this.#s.updateClient.run(c.poolId, c.name, c.secret ?? null, JSON.stringify(c.config), c.updatedAt, c.id);
  }
  get(id: string): ClientRecord | undefined {
    const r = this.#s.getClient.get(id) as ClientRow | undefined;
    return r && clientFromRow(r);
  }
  list(poolId: string, after: string, limit: number): ClientRecord[] {
    return (this.#s.listClients.all(poolId, after, limit) as ClientRow[]).map(clientFromRow);
  }
  delete(id: string): boolean {
    return this.#s.deleteClient.run(id).changes > 0;
  }
}
