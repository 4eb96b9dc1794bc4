import { closeSync, existsSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile, PRIVATE_FILE_MODE } from '../shared/privateFiles.js';
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
  /**
   * Page cache in KiB (default 64 MiB, for the user pools' indexes). A store that mostly appends (logs) takes far
   * less: its cache would otherwise fill with pages nobody reads again, as resident memory.
   */
  cacheKib?: number;
}

/**
 * A database that must not be used: damaged pages, or the WAL holding its latest commits gone. The message is one
 * line naming the file and what to do.
 */
export class DatabaseIntegrityError extends Error {
  override name = 'DatabaseIntegrityError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `${file} ${problem}. Nothing was written to it. Stop every process using it, then restore it (with its -wal and -shm files) from a backup, or move the data dir aside to start afresh.`,
    );
  }
}

/**
 * The marker of an open database: created once the database is open (its WAL exists by then), removed after a clean
 * close (when SQLite has checkpointed the WAL into the database and deleted it). A marker left behind means the last
 * process did not close cleanly (kill -9, a crash): its latest commits may live only in the WAL, so that WAL must
 * still be there.
 */
export const openMarkerPath = (file: string) => `${file}-open`;

/** Bytes 18 and 19 of the header are 2 when the database is in WAL mode (sqlite.org/fileformat.html, 1.3.3). */
function headerSaysWal(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(20);
    const n = readSync(fd, header, 0, 20, 0);
    return n === 20 && header[18] === 2 && header[19] === 2;
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses a database whose WAL went missing. A WAL-mode database that was not closed cleanly (the open marker is
 * still there), or whose shared-memory index (-shm) is still there, was left with a live WAL: without it, the
 * commits it held are lost and SQLite would open the older state without a word. After a clean close neither the
 * marker nor the -shm remains, so a missing WAL is then normal.
 * @see https://www.sqlite.org/wal.html#the_wal_file
 */
function checkWalPresent(file: string): void {
  if (!existsSync(file) || existsSync(`${file}-wal`) || !headerSaysWal(file)) return;
  if (existsSync(openMarkerPath(file))) {
    throw new DatabaseIntegrityError(
      file,
      'was not closed cleanly and its write-ahead log (-wal) is missing, so its latest writes are lost',
    );
  }
  if (existsSync(`${file}-shm`)) {
    throw new DatabaseIntegrityError(
      file,
      'has a shared-memory index (-shm) but its write-ahead log (-wal) is missing, so its latest writes may be lost',
    );
  }
}

/** SQLite's quick check (pages, records and indexes well-formed; O(N), no index content cross-check). */
function quickCheck(db: Db, file: string): void {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  } catch (err) {
    throw new DatabaseIntegrityError(file, `is damaged (${errorText(err)})`);
  }
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new DatabaseIntegrityError(file, `is damaged (${problems[0]?.replace(/\s+/g, ' ').slice(0, 200)})`);
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');

/**
 * Opens (creating if needed) the SQLite database at `file` (or `:memory:`), in WAL mode with foreign keys on,
 * and applies the pending migrations, each in a transaction.
 *
 * Before anything is written: the data dir is 0700 and the database 0600 (its -wal and -shm inherit that mode);
 * a missing WAL that held commits, or a failed `PRAGMA quick_check`, throws {@link DatabaseIntegrityError}.
 * @see https://www.sqlite.org/wal.html
 * @see https://www.sqlite.org/pragma.html#pragma_quick_check
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const onDisk = file !== ':memory:';
  if (onDisk) {
    ensurePrivateDir(dirname(file));
    checkWalPresent(file);
    ensurePrivateFile(file);
  }
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new DatabaseIntegrityError(file, `cannot be opened (${errorText(err)})`);
  }
  try {
    // Several processes (tests, the CLI) may touch the same file; wait for a lock rather than fail at once.
    db.pragma('busy_timeout = 5000');
    // Before the first write (journal mode, migrations): a damaged database gets nothing new.
    if (onDisk) quickCheck(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache keeps the indexes of a 100k-user pool (and its growing token tables) in memory, so
    // sign-in cost stays flat as the pool grows; the default 2 MiB would start missing.
    db.pragma(`cache_size = -${Math.max(256, Math.floor(options.cacheKib ?? 65_536))}`);
    db.pragma('temp_store = MEMORY');
    migrate(db, options.migrations ?? defaultMigrations);
  } catch (err) {
    db.close();
    throw err;
  }
  if (onDisk) {
    // Older data dirs may hold a looser -wal/-shm from before; new ones inherit the database file's 0600.
    for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) ensurePrivateFile(f);
    const marker = openMarkerPath(file);
    writeFileSync(marker, `${process.pid}\n`, { mode: PRIVATE_FILE_MODE });
    const close = db.close.bind(db);
    // The marker's warning is over once every commit is in the database file: after a checkpoint that moved the
    // whole WAL (busy = 0), or when SQLite deleted the WAL at close. Another connection still open (a sqlite3 shell)
    // may keep the WAL, and later delete it, without anything being lost.
    openOnDisk.add(db);
    db.close = () => {
      openOnDisk.delete(db);
      let flushed = false;
      try {
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        flushed = result?.busy === 0;
      } catch {
        flushed = false;
      }
      close();
      if (flushed || !existsSync(`${file}-wal`)) rmSync(marker, { force: true });
      return db;
    };
  }
  return db;
}

/**
 * Databases opened on disk and not closed yet. A process that exits without closing one (process.exit, an uncaught
 * error) would still have it closed by better-sqlite3's own clean-up, which deletes the WAL but knows nothing of the
 * open marker: the next start would then report a missing WAL. Closing them here, at exit, checkpoints and removes the
 * marker as a clean close does. A kill -9 runs no handler, so its marker stays, as it must.
 */
const openOnDisk = new Set<Db>();
process.once('exit', () => {
  for (const db of [...openOnDisk]) {
    try {
      db.close();
    } catch {
      // Already closed underneath, or busy: the marker then stays and the next start checks the WAL.
    }
  }
});

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
