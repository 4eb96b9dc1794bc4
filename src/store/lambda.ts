import { join } from 'node:path';
import { type Db, openDatabase } from './db.js';
import type { Migration } from './migrations.js';
import { type Records, recordsMigration, SqliteRecords } from './records.js';

/**
 * A function's state that differs from what the stack deployed: code uploaded with UpdateFunctionCode and
 * configuration changed with UpdateFunctionConfiguration. Kept until the stack is deployed again.
 */
export interface FunctionOverrideRecord {
  name: string;
  /** The code directory the stack deployed when the override was made; another deploy drops the override. */
  baseAsset: string;
  /** The unzipped code now in use, when the code was updated. */
  codeDir: string | undefined;
  codeSha256: string | undefined;
  codeSize: number | undefined;
  /** Configuration members changed (Environment, MemorySize, Timeout, Handler, Description, Runtime). */
  config: Record<string, unknown>;
  lastModified: string;
  revisionId: string;
}

const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'function overrides',
    sql: `
CREATE TABLE function_overrides (
  name TEXT PRIMARY KEY,
  base_asset TEXT NOT NULL,
  code_dir TEXT,
  code_sha256 TEXT,
  code_size INTEGER,
  config TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  revision_id TEXT NOT NULL
);
`,
  },
  // Functions made through Lambda's API, and what the API keeps beside them (role, tags, policy, versions, aliases).
  recordsMigration,
];

interface Row {
  name: string;
  base_asset: string;
  code_dir: string | null;
  code_sha256: string | null;
  code_size: number | null;
  config: string;
  last_modified: string;
  revision_id: string;
}

/**
 * Lambda's durable state in `<dataDir>/lambda.sqlite`. A write returns once SQLite has committed it (WAL), so an
 * acknowledged UpdateFunctionCode survives the process being killed.
 */
export class LambdaStore {
  readonly #db: Db;
  /**
   * Whole records in the same database, so that a function and its override are written in one transaction
   * ({@link Records.transaction}): kinds `function` (made through the API) and `control` (role, tags, versions...).
   */
  readonly records: Records;

  constructor(db: Db) {
    this.#db = db;
    this.records = new SqliteRecords(db);
  }

  static open(dataDir: string): LambdaStore {
    const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'lambda.sqlite');
    return new LambdaStore(openDatabase(file, { migrations: MIGRATIONS }));
  }

  close(): void {
    this.#db.close();
  }

  all(): FunctionOverrideRecord[] {
    return (this.#db.prepare('SELECT * FROM function_overrides ORDER BY name').all() as Row[]).map((r) => ({
      name: r.name,
      baseAsset: r.base_asset,
      codeDir: r.code_dir ?? undefined,
      codeSha256: r.code_sha256 ?? undefined,
      codeSize: r.code_size ?? undefined,
      config: JSON.parse(r.config) as Record<string, unknown>,
      lastModified: r.last_modified,
      revisionId: r.revision_id,
    }));
  }

  put(o: FunctionOverrideRecord): void {
    this.#db
      .prepare(
        `INSERT INTO function_overrides (name, base_asset, code_dir, code_sha256, code_size, config, last_modified, revision_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET base_asset = excluded.base_asset, code_dir = excluded.code_dir,
           code_sha256 = excluded.code_sha256, code_size = excluded.code_size, config = excluded.config,
           last_modified = excluded.last_modified, revision_id = excluded.revision_id`,
      )
      .run(
        o.name,
        o.baseAsset,
        o.codeDir ?? null,
        o.codeSha256 ?? null,
        o.codeSize ?? null,
        JSON.stringify(o.config),
        o.lastModified,
        o.revisionId,
      );
  }

  delete(name: string): void {
    this.#db.prepare('DELETE FROM function_overrides WHERE name = ?').run(name);
  }
}
