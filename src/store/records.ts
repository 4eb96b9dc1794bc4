/**
 * Whole records, kept as written: one generic mechanism for the control-plane state the services hold in memory
 * (IAM entities, HTTP APIs, functions made through Lambda's API, S3 sub-resources, log group tags). A service keeps
 * its maps as the working copy and writes through this store before it answers, so an acknowledged change survives
 * kill -9; at start it reads them back.
 *
 * A record is stored whole (./codec.ts: JSON with Dates, Maps, Sets and bytes), so a member added to a service's
 * model later is kept without a schema change. The store knows nothing of the records' shapes: the service that
 * writes a kind reads it back, as its own type.
 */
import { join } from 'node:path';
import { decodeRecord, encodeRecord } from './codec.js';
import { type Db, type OpenDatabaseOptions, openDatabase } from './db.js';
import type { Migration } from './migrations.js';

/**
 * The `records` table, added to any database that keeps records (its own migration list picks it up). Rows keep
 * their first insertion order (rowid), so maps read back in the order they were filled.
 */
export const recordsMigration: Migration = {
  id: 40,
  name: 'records: whole JSON records by service, kind and id',
  sql: `
CREATE TABLE records (
  service TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  json TEXT NOT NULL,
  UNIQUE (service, kind, id)
);
`,
};

/** One kind of record of one service: id → value. */
export interface RecordCollection<T> {
  get(id: string): T | undefined;
  /** Every record, in the order first written. */
  all(): [string, T][];
  put(id: string, value: T): void;
  /** False when there was none. */
  delete(id: string): boolean;
  /** Deletes every record whose id starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): number;
  /**
   * Makes the stored records equal to `current`, in one transaction: writes those whose stored form changed and
   * deletes those no longer there. The cost of a call is one encoding per record; unchanged ones are not written.
   * Returns the number of rows written or deleted.
   */
  sync(current: Iterable<readonly [string, T]>): number;
}

/** Collections over one database, and transactions across them. */
export interface Records {
  collection<T>(service: string, kind: string): RecordCollection<T>;
  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<R>(fn: () => R): R;
}

interface Row {
  id: string;
  json: string;
}

/** {@link Records} on a database whose migrations include {@link recordsMigration}. */
export class SqliteRecords implements Records {
  readonly #db: Db;
  /** Forgets each collection's view of what is stored (after a rolled-back transaction it may be wrong). */
  readonly #forget = new Set<() => void>();

  constructor(db: Db) {
    this.#db = db;
  }

  transaction<R>(fn: () => R): R {
    try {
      return this.#db.transaction(fn)();
    } catch (err) {
      for (const f of this.#forget) f();
      throw err;
    }
  }

  collection<T>(service: string, kind: string): RecordCollection<T> {
    const db = this.#db;
    const select = db.prepare('SELECT id, json FROM records WHERE service = ? AND kind = ? ORDER BY rowid');
    const selectOne = db.prepare('SELECT json FROM records WHERE service = ? AND kind = ? AND id = ?');
    const upsert = db.prepare(
      `INSERT INTO records (service, kind, id, json) VALUES (?, ?, ?, ?)
       ON CONFLICT (service, kind, id) DO UPDATE SET json = excluded.json`,
    );
    const remove = db.prepare('DELETE FROM records WHERE service = ? AND kind = ? AND id = ?');
    const removePrefix = db.prepare(
      'DELETE FROM records WHERE service = ? AND kind = ? AND substr(id, 1, length(?)) = ? RETURNING id',
    );
    /** The stored text by id, as last read or written here: what sync compares with. */
    let written: Map<string, string> | undefined;
    const load = (): Map<string, string> => {
      written ??= new Map((select.all(service, kind) as Row[]).map((r) => [r.id, r.json]));
      return written;
    };
    this.#forget.add(() => {
      written = undefined;
    });
    const write = (id: string, json: string) => {
      upsert.run(service, kind, id, json);
      load().set(id, json);
    };
    const drop = (id: string) => {
      const gone = remove.run(service, kind, id).changes > 0;
      load().delete(id);
      return gone;
    };
    return {
      get: (id) => {
        const r = selectOne.get(service, kind, id) as { json: string } | undefined;
        return r === undefined ? undefined : (decodeRecord(r.json) as T);
      },
      all: () => [...load()].map(([id, json]) => [id, decodeRecord(json) as T]),
      put: (id, value) => write(id, encodeRecord(value)),
      delete: drop,
      deletePrefix: (prefix) => {
        const ids = removePrefix.all(service, kind, prefix, prefix) as { id: string }[];
        for (const r of ids) load().delete(r.id);
        return ids.length;
      },
      sync: (current) => {
        const before = load();
        const next = new Map<string, string>();
        for (const [id, value] of current) next.set(id, encodeRecord(value));
        const changed = [...next].filter(([id, json]) => before.get(id) !== json);
        const gone = [...before.keys()].filter((id) => !next.has(id));
        if (changed.length === 0 && gone.length === 0) return 0;
        // The cache follows the database only once the transaction committed.
        this.transaction(() => {
          for (const [id, json] of changed) upsert.run(service, kind, id, json);
          for (const id of gone) remove.run(service, kind, id);
        });
        for (const [id, json] of changed) before.set(id, json);
        for (const id of gone) before.delete(id);
        return changed.length + gone.length;
      },
    };
  }
}

/**
 * The control plane's records in `<dataDir>/control-plane.sqlite` (or in memory for `:memory:`): IAM and API
 * Gateway v2. A write returns once SQLite has committed it (WAL), so it survives the process being killed.
 */
export class ControlPlaneStore extends SqliteRecords {
  readonly db: Db;

  private constructor(db: Db) {
    super(db);
    this.db = db;
  }

  static open(dataDir: string, options: OpenDatabaseOptions = {}): ControlPlaneStore {
    const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'control-plane.sqlite');
    return new ControlPlaneStore(openDatabase(file, { ...options, migrations: [recordsMigration] }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Wraps every operation of a registry so that `commit` runs once it settled (resolved or thrown), before its answer
 * goes out: what an operation changed in memory is stored before the caller hears of it. If `commit` throws, the
 * operation fails with that error (the caller gets the service's generic 500). Operations named in `except`
 * (those that change nothing the commit stores, on a hot path: Lambda's Invoke) run as they are.
 */
export function committing<Op extends (...args: never[]) => Promise<unknown>>(
  operations: Readonly<Record<string, Op>>,
  commit: () => void,
  except: readonly string[] = [],
): Readonly<Record<string, Op>> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [
      name,
      except.includes(name)
        ? op
        : ((async (...args: Parameters<Op>) => {
            let out: unknown;
            try {
              out = await op(...args);
            } catch (err) {
              commit();
              throw err;
            }
            commit();
            return out;
          }) as unknown as Op),
    ]),
  );
}
