import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { LogsStore } from './logs.js';
import { LOGS_MIGRATIONS } from './logs-migrations.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-logs-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const G = '/aws/lambda/fn';
const S = '2026/12/04/[$LATEST]abc';

describe('LogsStore', () => {
  it('keeps a data dir written before the integer-id schema (migration 100): groups, streams, events, ids', () => {
    const dir = tempDir();
    // The schema as it was before migration 100, with data in it.
    const old = openDatabase(join(dir, 'logs.sqlite'), {
      migrations: LOGS_MIGRATIONS.filter((m) => m.id < 100),
      cacheKib: 1024,
    });
    old.prepare('INSERT INTO log_groups (name, created_at, retention_days) VALUES (?, ?, ?)').run(G, 10, 7);
    old
      .prepare('INSERT INTO log_groups (name, created_at, retention_days) VALUES (?, ?, NULL)')
      .run('/b', 11);
    old.prepare('INSERT INTO log_streams (grp, name, created_at) VALUES (?, ?, ?)').run(G, S, 12);
    old.prepare('INSERT INTO log_streams (grp, name, created_at) VALUES (?, ?, ?)').run(G, 'other', 13);
    old.prepare('INSERT INTO log_streams (grp, name, created_at) VALUES (?, ?, ?)').run('/b', S, 14);
    const ins = old.prepare(
      'INSERT INTO log_events (grp, stream, ts, ingested, message) VALUES (?, ?, ?, ?, ?)',
    );
    ins.run(G, S, 100, 101, 'one');
    ins.run(G, 'other', 100, 102, 'two');
    ins.run('/b', S, 50, 103, 'three');
    ins.run(G, S, 200, 104, 'newest, deleted');
    old.prepare("DELETE FROM log_events WHERE message = 'newest, deleted'").run();
    old.close();

    const store = LogsStore.open(dir);
    try {
      expect(store.groups({ limit: 10 })).toEqual([
        { name: '/aws/lambda/fn', createdAt: 10, retentionDays: 7, storedBytes: 6 },
        { name: '/b', createdAt: 11, retentionDays: undefined, storedBytes: 5 },
      ]);
      const streams = store.streams({
        group: G,
        orderBy: 'LogStreamName',
        descending: false,
        offset: 0,
        limit: 10,
      });
      expect(
        streams.map((s) => [s.name, s.createdAt, s.firstEventAt, s.lastIngestionAt, s.storedBytes]),
      ).toEqual([
        [S, 12, 100, 101, 3],
        ['other', 13, 100, 102, 3],
      ]);
      const events = store.events({ group: G, limit: 10 });
      expect(events).toEqual([
        { id: 1, stream: S, timestamp: 100, ingestedAt: 101, message: 'one' },
        { id: 2, stream: 'other', timestamp: 100, ingestedAt: 102, message: 'two' },
      ]);
      // The ids go on above every id ever handed out, the deleted newest one (4) included: tokens stay unambiguous.
      store.append([{ group: G, stream: S, timestamp: 300, message: 'after' }], 301, false);
      expect(store.events({ group: G, streams: [S], afterId: 1, limit: 10 }).map((e) => e.id)).toEqual([5]);
    } finally {
      store.close();
    }
  });

  it('stores a large batch across streams in order, creates missing ones or drops their events', () => {
    const store = LogsStore.open(':memory:');
    try {
      const batch = Array.from({ length: 200 }, (_, i) => ({
        group: G,
        stream: i % 3 === 0 ? 'a' : 'b',
        timestamp: 1000 + i,
        message: `line ${i}`,
      }));
      expect(store.append(batch, 5000, true)).toBe(200);
      const a = store.events({ group: G, streams: ['a'], afterId: 0, limit: 1000 });
      expect(a.map((e) => e.message)).toEqual(batch.filter((e) => e.stream === 'a').map((e) => e.message));
      const all = store.events({ group: G, limit: 1000 });
      expect(all.map((e) => e.message)).toEqual(batch.map((e) => e.message));
      expect(all.every((e) => e.ingestedAt === 5000)).toBe(true);
      // Without `create`, events of a missing stream (or group) are dropped and the rest kept.
      const mixed = [
        { group: G, stream: 'a', timestamp: 9000, message: 'kept' },
        { group: G, stream: 'missing', timestamp: 9001, message: 'dropped' },
        { group: '/missing', stream: 'a', timestamp: 9002, message: 'dropped' },
      ];
      expect(store.append(mixed, 9100, false)).toBe(1);
      expect(
        store.events({ group: G, streamPrefix: 'a', startTime: 9000, limit: 10 }).map((e) => e.message),
      ).toEqual(['kept']);
      expect(store.events({ group: G, streams: ['missing'], limit: 10 })).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('deletes a stream with its events, a group with its streams and events, and applies retention', () => {
    const store = LogsStore.open(':memory:');
    try {
      const day = 86_400_000;
      store.append(
        [
          { group: G, stream: 'a', timestamp: 0, message: 'old' },
          { group: G, stream: 'a', timestamp: 10 * day, message: 'new' },
          { group: G, stream: 'b', timestamp: 10 * day, message: 'b' },
          { group: '/other', stream: 'a', timestamp: 0, message: 'kept' },
        ],
        10 * day,
        true,
      );
      expect(store.setRetention(G, 1)).toBe(true);
      expect(store.applyRetention(10 * day)).toBe(1);
      expect(store.events({ group: G, limit: 10 }).map((e) => e.message)).toEqual(['new', 'b']);
      expect(store.deleteStream(G, 'b')).toBe(true);
      expect(store.deleteStream(G, 'b')).toBe(false);
      expect(store.events({ group: G, limit: 10 }).map((e) => e.message)).toEqual(['new']);
      expect(store.deleteGroup(G)).toBe(true);
      expect(store.streamExists(G, 'a')).toBe(false);
      expect(store.events({ group: G, limit: 10 })).toEqual([]);
      expect(store.createGroup(G, 1)).toBe(true);
      expect(store.group(G)?.storedBytes).toBe(0);
      expect(store.events({ group: '/other', limit: 10 }).map((e) => e.message)).toEqual(['kept']);
    } finally {
      store.close();
    }
  });
});

describe('LogsStore on disk', () => {
  it('checkpoints the WAL from its own thread, not on commit, and closes with everything in the database file', async () => {
    const dir = tempDir();
    const store = LogsStore.open(dir);
    let reopened: LogsStore | undefined;
    try {
      expect(store.checkpointer).toBeDefined();
      const batch = Array.from({ length: 2000 }, (_, i) => ({
        group: G,
        stream: S,
        timestamp: i,
        message: `line ${i} ${'x'.repeat(200)}`,
      }));
      store.append(batch, 1, true);
      // The commits leave the WAL alone (no automatic checkpoint); the thread moves every frame of it.
      const done = await store.checkpointer?.next();
      expect(done?.log).toBeGreaterThan(100);
      expect(done?.checkpointed).toBe(done?.log);
      store.close();
      expect(existsSync(join(dir, 'logs.sqlite-wal'))).toBe(false);
      reopened = LogsStore.open(dir);
      expect(reopened.events({ group: G, limit: 5000 })).toHaveLength(2000);
    } finally {
      reopened?.close();
    }
  });
});
