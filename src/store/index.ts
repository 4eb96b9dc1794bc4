export { decodeRecord, encodeRecord, RecordCodecError } from './codec.js';
export * from './cognito-idp/index.js';
export type { Db, OpenDatabaseOptions } from './db.js';
export { migrate, openDatabase } from './db.js';
export type { Migration } from './migrations.js';
export { migrations } from './migrations.js';
export {
  ControlPlaneStore,
  committing,
  type RecordCollection,
  type Records,
  recordsMigration,
  SqliteRecords,
} from './records.js';
export type { Stores } from './stores.js';
export { openStores } from './stores.js';
