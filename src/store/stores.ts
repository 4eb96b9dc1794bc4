import { join } from 'node:path';
import { SqliteIdpStore } from './cognito-idp/sqlite/idpStore.js';
import { SqliteOutbox } from './cognito-idp/sqlite/outbox.js';
import type { IdpStore, Outbox } from './cognito-idp/store.js';
import { type Db, type OpenDatabaseOptions, openDatabase } from './db.js';

/** The local cloud's state in one SQLite file: the user pool store and the mail outbox. */
export interface Stores {
  db: Db;
  idp: IdpStore;
  outbox: Outbox;
  close(): void;
}

/** Opens `<dataDir>/gatehouse.sqlite` (or an in-memory database for `:memory:`). */
export function openStores(dataDir: string, options: OpenDatabaseOptions = {}): Stores {
  const db = openDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, 'gatehouse.sqlite'), options);
  return { db, idp: new SqliteIdpStore(db), outbox: new SqliteOutbox(db), close: () => db.close() };
}
