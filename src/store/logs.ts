import { join } from 'node:path';
import { type Db, openDatabase } from './db.js';
import type { Migration } from './migrations.js';
import { type RecordCollection, type Records, recordsMigration, SqliteRecords } from './records.js';

/** CloudWatch Logs' records, as the store keeps them. */
export interface LogGroupRecord {
  name: string;
  createdAt: number;
  retentionDays: number | undefined;
  storedBytes: number;
}

export interface LogStreamRecord {
  group: string;
  name: string;
  createdAt: number;
  firstEventAt: number | undefined;
  lastEventAt: number | undefined;
  lastIngestionAt: number | undefined;
  storedBytes: number;
}

export interface LogEventRecord {
  /** Ascending in the order events were stored; the position tokens and eventIds are made of. */
  id: number;
  stream: string;
  timestamp: number;
  ingestedAt: number;
  message: string;
}

export interface NewLogEvent {
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

/** Which events of a group a read wants; every bound is optional. */
export interface EventQuery {
  group: string;
  streams?: readonly string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  /** Only events after this (timestamp, id) position, in ascending order. */
  after?: { timestamp: number; id: number };
  /** Stream reads by id: above `afterId`, or below `beforeId` (then the newest first). */
  afterId?: number;
  beforeId?: number;
  limit: number;
  newestFirst?: boolean;
}

const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'log groups, streams and events',
    sql: `
CREATE TABLE log_groups (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  retention_days INTEGER
);
CREATE TABLE log_streams (
  grp TEXT NOT NULL REFERENCES log_groups(name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (grp, name)
);
CREATE TABLE log_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  grp TEXT NOT NULL,
  stream TEXT NOT NULL,
  ts INTEGER NOT NULL,
  ingested INTEGER NOT NULL,
  message TEXT NOT NULL,
  FOREIGN KEY (grp, stream) REFERENCES log_streams(grp, name) ON DELETE CASCADE
);
CREATE INDEX log_events_by_group_time ON log_events (grp, ts, id);
CREATE INDEX log_events_by_stream ON log_events (grp, stream, id);
`,
  },
  // Log group tags (kind `tags`, by `<group>@<createdAt>`).
  recordsMigration,
];

interface StreamRow {
  grp: string;
  name: string;
  created_at: number;
  first_ts: number | null;
  last_ts: number | null;
  last_ingested: number | null;
  bytes: number | null;
}

/**
 * CloudWatch Logs in SQLite, in its own file (`<dataDir>/logs.sqlite`), so that heavy logging never contends with the
 * user pools' writes. Writes of many events go in one transaction: callers batch (see the logs service's writer).
 */
export class LogsStore {
  readonly #db: Db;
  readonly records: Records;
  /** Each group's tags, by `<group>@<createdAt>` (a group created again starts untagged); deleted with the group. */
  readonly tags: RecordCollection<Record<string, string>>;

  constructor(db: Db) {
    this.#db = db;
    this.records = new SqliteRecords(db);
    this.tags = this.records.collection('logs', 'tags');
  }

  /** Opens `<dataDir>/logs.sqlite`, or an in-memory database for `:memory:`. */
  static open(dataDir: string): LogsStore {
    const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'logs.sqlite');
    // Appends at the tail, reads now and then: 4 MiB of page cache, not the 64 MiB the user pools' store keeps.
    return new LogsStore(openDatabase(file, { migrations: MIGRATIONS, cacheKib: 4096 }));
  }

  close(): void {
    this.#db.close();
  }

  /** Creates the group; false when it exists. */
  createGroup(name: string, now: number): boolean {
    return (
      this.#db.prepare('INSERT OR IGNORE INTO log_groups (name, created_at) VALUES (?, ?)').run(name, now)
        .changes > 0
    );
  }

  deleteGroup(name: string): boolean {
    return this.records.transaction(() => {
      this.tags.deletePrefix(`${name}@`);
      return this.#db.prepare('DELETE FROM log_groups WHERE name = ?').run(name).changes > 0;
    });
  }

  setRetention(name: string, days: number | undefined): boolean {
    return (
      this.#db.prepare('UPDATE log_groups SET retention_days = ? WHERE name = ?').run(days ?? null, name)
        .changes > 0
    );
  }

  /** Groups in name order, after `afterName`, at most `limit`. */
  groups(o: {
    prefix?: string;
    pattern?: string;
    afterName?: string;
    limit: number;
    names?: string[];
  }): LogGroupRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (o.prefix !== undefined) {
      where.push('substr(g.name, 1, length(?)) = ?');
      args.push(o.prefix, o.prefix);
    }
    if (o.pattern !== undefined) {
      where.push('instr(lower(g.name), lower(?)) > 0');
      args.push(o.pattern);
    }
    if (o.afterName !== undefined) {
      where.push('g.name > ?');
      args.push(o.afterName);
    }
    if (o.names !== undefined) {
      where.push(`g.name IN (${o.names.map(() => '?').join(',') || "''"})`);
      args.push(...o.names);
    }
    const rows = this.#db
      .prepare(
        `SELECT g.name, g.created_at, g.retention_days,
           (SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) FROM log_events e WHERE e.grp = g.name) AS bytes
         FROM log_groups g ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY g.name LIMIT ?`,
      )
      .all(...args, o.limit) as {
      name: string;
      created_at: number;
      retention_days: number | null;
      bytes: number;
    }[];
    return rows.map((r) => ({
      name: r.name,
      createdAt: r.created_at,
      retentionDays: r.retention_days ?? undefined,
      storedBytes: r.bytes,
    }));
  }

  group(name: string): LogGroupRecord | undefined {
    return this.groups({ names: [name], limit: 1 })[0];
  }

  createStream(group: string, name: string, now: number): boolean {
    return (
      this.#db
        .prepare('INSERT OR IGNORE INTO log_streams (grp, name, created_at) VALUES (?, ?, ?)')
        .run(group, name, now).changes > 0
    );
  }

  deleteStream(group: string, name: string): boolean {
    return (
      this.#db.prepare('DELETE FROM log_streams WHERE grp = ? AND name = ?').run(group, name).changes > 0
    );
  }

  /** Streams of a group with their event statistics. */
  streams(o: {
    group: string;
    prefix?: string;
    orderBy: 'LogStreamName' | 'LastEventTime';
    descending: boolean;
    offset: number;
    limit: number;
  }): LogStreamRecord[] {
    const args: (string | number)[] = [o.group];
    let where = 's.grp = ?';
    if (o.prefix !== undefined) {
      where += ' AND substr(s.name, 1, length(?)) = ?';
      args.push(o.prefix, o.prefix);
    }
    const dir = o.descending ? 'DESC' : 'ASC';
    const order =
      o.orderBy === 'LastEventTime'
        ? `coalesce(last_ts, s.created_at) ${dir}, s.name ${dir}`
        : `s.name ${dir}`;
    const rows = this.#db
      .prepare(
        `SELECT s.grp, s.name, s.created_at, st.first_ts, st.last_ts, st.last_ingested, st.bytes
         FROM log_streams s LEFT JOIN (
           SELECT stream, min(ts) AS first_ts, max(ts) AS last_ts, max(ingested) AS last_ingested,
             sum(length(CAST(message AS BLOB))) AS bytes
           FROM log_events WHERE grp = ? GROUP BY stream) st ON st.stream = s.name
         WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(o.group, ...args, o.limit, o.offset) as StreamRow[];
    return rows.map((r) => ({
      group: r.grp,
      name: r.name,
      createdAt: r.created_at,
      firstEventAt: r.first_ts ?? undefined,
      lastEventAt: r.last_ts ?? undefined,
      lastIngestionAt: r.last_ingested ?? undefined,
      storedBytes: r.bytes ?? 0,
    }));
  }

  streamExists(group: string, name: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM log_streams WHERE grp = ? AND name = ?').get(group, name) !== undefined
    );
  }

  /**
   * Stores events in one transaction, creating missing groups and streams when `create` is set (the functions' and
   * stages' own logs); otherwise events of a missing stream are dropped. Returns the number stored.
   */
  append(events: readonly NewLogEvent[], now: number, create: boolean): number {
    const group = this.#db.prepare('INSERT OR IGNORE INTO log_groups (name, created_at) VALUES (?, ?)');
    const stream = this.#db.prepare(
      'INSERT OR IGNORE INTO log_streams (grp, name, created_at) VALUES (?, ?, ?)',
    );
    const exists = this.#db.prepare('SELECT 1 FROM log_streams WHERE grp = ? AND name = ?');
    const insert = this.#db.prepare(
      'INSERT INTO log_events (grp, stream, ts, ingested, message) VALUES (?, ?, ?, ?, ?)',
    );
    return this.#db.transaction(() => {
      let stored = 0;
      // Each stream is looked up (or created) once per batch, not once per event: a batch is mostly a few streams.
      const known = new Map<string, boolean>();
      for (const e of events) {
        const key = `${e.group}\n${e.stream}`;
        let ok = known.get(key);
        if (ok === undefined) {
          if (create) {
            group.run(e.group, now);
            stream.run(e.group, e.stream, now);
            ok = true;
          } else {
            ok = exists.get(e.group, e.stream) !== undefined;
          }
          known.set(key, ok);
        }
        if (ok) {
          insert.run(e.group, e.stream, e.timestamp, now, e.message);
          stored++;
        }
      }
      return stored;
    })();
  }

  /** Events of a group matching the query, ascending by (timestamp, id) unless reading a stream backwards. */
  events(q: EventQuery): LogEventRecord[] {
    const where = ['grp = ?'];
    const args: (string | number)[] = [q.group];
    if (q.streams !== undefined) {
      where.push(`stream IN (${q.streams.map(() => '?').join(',') || "''"})`);
      args.push(...q.streams);
    }
    if (q.streamPrefix !== undefined) {
      where.push('substr(stream, 1, length(?)) = ?');
      args.push(q.streamPrefix, q.streamPrefix);
    }
    if (q.startTime !== undefined) {
      where.push('ts >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('ts < ?');
      args.push(q.endTime);
    }
    if (q.after !== undefined) {
      where.push('(ts > ? OR (ts = ? AND id > ?))');
      args.push(q.after.timestamp, q.after.timestamp, q.after.id);
    }
    if (q.afterId !== undefined) {
      where.push('id > ?');
      args.push(q.afterId);
    }
    if (q.beforeId !== undefined) {
      where.push('id < ?');
      args.push(q.beforeId);
    }
    const byId = q.afterId !== undefined || q.beforeId !== undefined;
    const dir = q.newestFirst ? 'DESC' : 'ASC';
    const order = byId ? `id ${dir}` : `ts ${dir}, id ${dir}`;
    const rows = this.#db
      .prepare(
        `SELECT id, stream, ts, ingested, message FROM log_events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
      )
      .all(...args, q.limit) as {
      id: number;
      stream: string;
      ts: number;
      ingested: number;
      message: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      stream: r.stream,
      timestamp: r.ts,
      ingestedAt: r.ingested,
      message: r.message,
    }));
  }

  /** Deletes the events older than each group's retention; returns how many. */
  applyRetention(now: number): number {
    const groups = this.#db
      .prepare('SELECT name, retention_days FROM log_groups WHERE retention_days IS NOT NULL')
      .all() as { name: string; retention_days: number }[];
    const del = this.#db.prepare('DELETE FROM log_events WHERE grp = ? AND ts < ?');
    return this.#db.transaction(() => {
      let n = 0;
      for (const g of groups) n += del.run(g.name, now - g.retention_days * 86_400_000).changes;
      return n;
    })();
  }
}
