import { join } from 'node:path';
import { type Db, type OpenDatabaseOptions, openDatabase } from './db.js';
import { IdpStore } from './idpStore.js';
import { SqliteOutbox } from './outbox.js';

export type { Db, OpenDatabaseOptions } from './db.js';
export { migrate, openDatabase } from './db.js';
export * from './idpStore.js';
export type { Migration } from './migrations.js';
export { migrations } from './migrations.js';

export { SqliteOutbox } from './outbox.js';

/** The local cloud's state in one SQLite file: the user pool store and the mail outbox. */
export interface Stores {
  db: Db;
  idp: IdpStore;
  outbox: SqliteOutbox;
  close(): void;
}

/** Opens `<dataDir>/gatehouse.sqlite` (or an in-memory database for `:memory:`). */
export function openStores(dataDir: string, options: OpenDatabaseOptions = {}): Stores {
  const db = openDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'gatehouse.sqlite'), options);
  return { db, idp: new IdpStore(db), outbox: new SqliteOutbox(db), close: () => db.close() };
}
