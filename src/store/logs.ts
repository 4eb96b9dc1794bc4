import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { type Db, openDatabase } from './db.js';
import { type Checkpointer, startCheckpointer } from './logs-checkpointer.js';
import { LOGS_MIGRATIONS } from './logs-migrations.js';
import { type RecordCollection, type Records, SqliteRecords } from './records.js';

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

/** How often the checkpointer thread moves the WAL into the database file. */
const CHECKPOINT_MS = 1000;
/** SQLite's default automatic checkpoint threshold, restored if the checkpointer thread ends. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** Events per multi-row INSERT: one statement per this many events, not one per event. */
const INSERT_ROWS = 64;
const insertSql = (rows: number) =>
  `INSERT INTO cw_events (group_id, stream_id, ts, ingested, message) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}`;

interface AppendStatements {
  addGroup: Statement;
  addStream: Statement;
  many: Statement;
  one: Statement;
}

interface StreamRow {
  name: string;
  created_at: number;
  first_ts: number | null;
  last_ts: number | null;
  last_ingested: number | null;
  bytes: number | null;
}

/**
 * CloudWatch Logs in SQLite, in its own file (`<dataDir>/logs.sqlite`), so that heavy logging never contends with the
 * user pools' writes. Writes of many events go in one transaction, several events per statement: callers batch (see
 * the logs service's writer). Groups and streams are named at the API and keyed by integer ids inside.
 */
export class LogsStore {
  readonly #db: Db;
  readonly records: Records;
  /** Each group's tags, by `<group>@<createdAt>` (a group created again starts untagged); deleted with the group. */
  readonly tags: RecordCollection<Record<string, string>>;
  #appends: AppendStatements | undefined;

  /** The thread that checkpoints the WAL of an on-disk store (see ./logs-checkpointer.ts). */
  readonly checkpointer: Checkpointer | undefined;

  constructor(db: Db, file?: string) {
    this.#db = db;
    this.records = new SqliteRecords(db);
    this.tags = this.records.collection('logs', 'tags');
    if (file !== undefined) {
      db.pragma('wal_autocheckpoint = 0');
      // Should the thread end, the commits checkpoint again themselves, so the WAL never grows without bound.
      this.checkpointer = startCheckpointer(file, CHECKPOINT_MS, () => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      });
    }
  }

  /** Opens `<dataDir>/logs.sqlite`, or an in-memory database for `:memory:`. */
  static open(dataDir: string): LogsStore {
    const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, 'logs.sqlite');
    // Appends at the tail, reads now and then: 4 MiB of page cache, not the 64 MiB the user pools' store keeps.
    const db = openDatabase(file, { migrations: LOGS_MIGRATIONS, cacheKib: 4096 });
    return new LogsStore(db, file === ':memory:' ? undefined : file);
  }

  close(): void {
    // The thread's connection first, so that closing this last one checkpoints the whole WAL and removes it.
    this.checkpointer?.close();
    this.#db.close();
  }

  /** Creates the group; false when it exists. */
  createGroup(name: string, now: number): boolean {
    return (
      this.#db.prepare('INSERT OR IGNORE INTO cw_groups (name, created_at) VALUES (?, ?)').run(name, now)
        .changes > 0
    );
  }

  deleteGroup(name: string): boolean {
    return this.records.transaction(() => {
      this.tags.deletePrefix(`${name}@`);
      const id = this.#groupId(name);
      if (id === undefined) return false;
      // The group's events go first, by the index on group: the cascade through streams would find them one by one.
      this.#db.prepare('DELETE FROM cw_events WHERE group_id = ?').run(id);
      return this.#db.prepare('DELETE FROM cw_groups WHERE id = ?').run(id).changes > 0;
    });
  }

  setRetention(name: string, days: number | undefined): boolean {
    return (
      this.#db.prepare('UPDATE cw_groups SET retention_days = ? WHERE name = ?').run(days ?? null, name)
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
           (SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) FROM cw_events e WHERE e.group_id = g.id) AS bytes
         FROM cw_groups g ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY g.name LIMIT ?`,
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
    const id = this.#groupId(group);
    if (id === undefined) return false;
    return (
      this.#db
        .prepare('INSERT OR IGNORE INTO cw_streams (group_id, name, created_at) VALUES (?, ?, ?)')
        .run(id, name, now).changes > 0
    );
  }

  deleteStream(group: string, name: string): boolean {
    const id = this.#streamId(group, name);
    if (id === undefined) return false;
    return this.#db.prepare('DELETE FROM cw_streams WHERE id = ?').run(id).changes > 0;
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
    const groupId = this.#groupId(o.group);
    if (groupId === undefined) return [];
    const args: (string | number)[] = [groupId];
    let where = 's.group_id = ?';
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
        `SELECT s.name, s.created_at, st.first_ts, st.last_ts, st.last_ingested, st.bytes
         FROM cw_streams s LEFT JOIN (
           SELECT stream_id, min(ts) AS first_ts, max(ts) AS last_ts, max(ingested) AS last_ingested,
             sum(length(CAST(message AS BLOB))) AS bytes
           FROM cw_events WHERE group_id = ? GROUP BY stream_id) st ON st.stream_id = s.id
         WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(groupId, ...args, o.limit, o.offset) as StreamRow[];
    return rows.map((r) => ({
      group: o.group,
      name: r.name,
      createdAt: r.created_at,
      firstEventAt: r.first_ts ?? undefined,
      lastEventAt: r.last_ts ?? undefined,
      lastIngestionAt: r.last_ingested ?? undefined,
      storedBytes: r.bytes ?? 0,
    }));
  }

  streamExists(group: string, name: string): boolean {
    return this.#streamId(group, name) !== undefined;
  }

  #groupId(name: string): number | undefined {
    const row = this.#db.prepare('SELECT id FROM cw_groups WHERE name = ?').get(name) as
      | { id: number }
      | undefined;
    return row?.id;
  }

  #streamId(group: string, name: string): number | undefined {
    const row = this.#db
      .prepare(
        'SELECT s.id FROM cw_streams s JOIN cw_groups g ON g.id = s.group_id WHERE g.name = ? AND s.name = ?',
      )
      .get(group, name) as { id: number } | undefined;
    return row?.id;
  }

  /**
   * Stores events in one transaction, creating missing groups and streams when `create` is set (the functions' and
   * stages' own logs); otherwise events of a missing stream are dropped. Returns the number stored. Each stream is
   * looked up once per call, and the events go in {@link INSERT_ROWS} per statement.
   */
  append(events: readonly NewLogEvent[], now: number, create: boolean): number {
    this.#appends ??= this.#prepareAppends();
    const { addGroup, addStream, many, one } = this.#appends;
    return this.#db.transaction(() => {
      // group id, stream id, timestamp, ingestion time, message: five values per event.
      const values: (string | number)[] = [];
      const known = new Map<string, [number, number] | null>();
      for (const e of events) {
        const key = `${e.group}\n${e.stream}`;
        let ids = known.get(key);
        if (ids === undefined) {
          if (create) addGroup.run(e.group, now);
          const groupId = this.#groupId(e.group);
          if (create && groupId !== undefined) addStream.run(groupId, e.stream, now);
          const streamId = this.#streamId(e.group, e.stream);
          ids = groupId === undefined || streamId === undefined ? null : [groupId, streamId];
          known.set(key, ids);
        }
        if (ids !== null) values.push(ids[0], ids[1], e.timestamp, now, e.message);
      }
      const per = INSERT_ROWS * 5;
      let at = 0;
      for (; at + per <= values.length; at += per) many.run(values.slice(at, at + per));
      for (; at < values.length; at += 5) one.run(values.slice(at, at + 5));
      return values.length / 5;
    })();
  }

  /** The statements every append runs, prepared once. */
  #prepareAppends(): AppendStatements {
    return {
      addGroup: this.#db.prepare('INSERT OR IGNORE INTO cw_groups (name, created_at) VALUES (?, ?)'),
      addStream: this.#db.prepare(
        'INSERT OR IGNORE INTO cw_streams (group_id, name, created_at) VALUES (?, ?, ?)',
      ),
      many: this.#db.prepare(insertSql(INSERT_ROWS)),
      one: this.#db.prepare(insertSql(1)),
    };
  }

  /** Events of a group matching the query, ascending by (timestamp, id) unless reading a stream backwards. */
  events(q: EventQuery): LogEventRecord[] {
    const groupId = this.#groupId(q.group);
    if (groupId === undefined) return [];
    const where = ['e.group_id = ?'];
    const args: (string | number)[] = [groupId];
    if (q.streams !== undefined || q.streamPrefix !== undefined) {
      // The streams' ids first, so that a one-stream read walks that stream's index in id order.
      const ids = this.#streamIds(groupId, q.streams, q.streamPrefix);
      if (ids.length === 0) return [];
      where.push(ids.length === 1 ? 'e.stream_id = ?' : `e.stream_id IN (${ids.map(() => '?').join(',')})`);
      args.push(...ids);
    }
    if (q.startTime !== undefined) {
      where.push('e.ts >= ?');
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push('e.ts < ?');
      args.push(q.endTime);
    }
    if (q.after !== undefined) {
      where.push('(e.ts > ? OR (e.ts = ? AND e.id > ?))');
      args.push(q.after.timestamp, q.after.timestamp, q.after.id);
    }
    if (q.afterId !== undefined) {
      where.push('e.id > ?');
      args.push(q.afterId);
    }
    if (q.beforeId !== undefined) {
      where.push('e.id < ?');
      args.push(q.beforeId);
    }
    const byId = q.afterId !== undefined || q.beforeId !== undefined;
    const dir = q.newestFirst ? 'DESC' : 'ASC';
    const order = byId ? `e.id ${dir}` : `e.ts ${dir}, e.id ${dir}`;
    const rows = this.#db
      .prepare(
        `SELECT e.id, s.name AS stream, e.ts, e.ingested, e.message FROM cw_events e
         JOIN cw_streams s ON s.id = e.stream_id WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
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

  /** The ids of a group's streams named in `names` (when given) and starting with `prefix` (when given). */
  #streamIds(groupId: number, names: readonly string[] | undefined, prefix: string | undefined): number[] {
    const where = ['group_id = ?'];
    const args: (string | number)[] = [groupId];
    if (names !== undefined) {
      if (names.length === 0) return [];
      where.push(`name IN (${names.map(() => '?').join(',')})`);
      args.push(...names);
    }
    if (prefix !== undefined) {
      where.push('substr(name, 1, length(?)) = ?');
      args.push(prefix, prefix);
    }
    const rows = this.#db.prepare(`SELECT id FROM cw_streams WHERE ${where.join(' AND ')}`).all(...args) as {
      id: number;
    }[];
    return rows.map((r) => r.id);
  }

  /** Deletes the events older than each group's retention; returns how many. */
  applyRetention(now: number): number {
    const groups = this.#db
      .prepare('SELECT id, retention_days FROM cw_groups WHERE retention_days IS NOT NULL')
      .all() as { id: number; retention_days: number }[];
    const del = this.#db.prepare('DELETE FROM cw_events WHERE group_id = ? AND ts < ?');
    return this.#db.transaction(() => {
      let n = 0;
      for (const g of groups) n += del.run(g.id, now - g.retention_days * 86_400_000).changes;
      return n;
    })();
  }
}
