import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Defaults to the project's migration list. */
  migrations?: readonly Migration[];
  /**
   * `NORMAL` (default): with WAL, each commit is written to the WAL file before the call returns, so it survives
   * the process being killed (kill -9); only an OS crash or power loss can lose the last commits. `FULL` also
   * fsyncs every commit, which survives power loss at the price of one fsync per write.
   * @see https://www.sqlite.org/pragma.html#pragma_synchronous
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * Opens (creating if needed) the SQLite database at `file` (or `:memory:`), in WAL mode with foreign keys on,
 * and applies the pending migrations, each in a transaction.
 * @see https://www.sqlite.org/wal.html
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // Several processes (tests, the CLI) may touch the same file; wait for a lock rather than fail at once.
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache keeps the indexes of a 100k-user pool (and its growing token tables) in memory, so sign-in
  // cost stays flat as the pool grows; the default 2 MiB would start missing.
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db, options.migrations ?? defaultMigrations);
  return db;
}

/** Applies the migrations whose id is above the recorded schema version, in id order. */
export function migrate(db: Db, list: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const done = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id),
  );
  const sorted = [...list].sort((a, b) => a.id - b.id);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.id === sorted[i - 1]?.id) throw new Error(`Duplicate migration id ${sorted[i]?.id}`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of sorted) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, Date.now());
    })();
  }
}
