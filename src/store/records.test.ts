import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, RecordCodecError } from './codec.js';
import { ControlPlaneStore, committing } from './records.js';

describe('record codec', () => {
  it('reads back Dates, Maps, Sets and bytes inside plain records', () => {
    const value = {
      CreatedDate: new Date('2026-01-02T03:04:05.678Z'),
      inline: new Map([['p1', '{"Statement":[]}']]),
      nested: { stages: new Map([['$default', { When: new Date(0), Tags: {} }]]) },
      seen: new Set(['a', 'b']),
      zip: new Uint8Array([0, 1, 254, 255]),
      list: [1, 'two', null, { three: true }],
    };
    expect(decodeRecord(encodeRecord(value))).toEqual(value);
  });

  it('leaves undefined members absent, as a read must return only what was written', () => {
    const back = decodeRecord(encodeRecord({ a: 1, b: undefined })) as object;
    expect(back).toEqual({ a: 1 });
    expect('b' in back).toBe(false);
  });

  it('never reads data whose keys look like its markers as a marker', () => {
    const value = { tags: { $date: 'not a date', $$map: 'x', plain: '$set' }, $set: [1] };
    expect(decodeRecord(encodeRecord(value))).toEqual(value);
  });

  it('refuses a value with no record form instead of dropping it', () => {
    class Thing {}
    expect(() => encodeRecord({ a: new Thing() })).toThrow(RecordCodecError);
    expect(() => encodeRecord({ f: () => 1 })).toThrow(/record\.f: a function/);
    expect(() => encodeRecord({ n: Number.NaN })).toThrow(RecordCodecError);
  });
});

describe('records', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'gatehouse-records-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps records across a reopen, in the order first written, with the file private', () => {
    const dir = tempDir();
    const a = ControlPlaneStore.open(dir);
    const roles = a.collection<{ name: string; at: Date }>('iam', 'role');
    roles.put('b', { name: 'b', at: new Date(1) });
    roles.put('a', { name: 'a', at: new Date(2) });
    roles.put('b', { name: 'B', at: new Date(3) });
    a.collection<string>('iam', 'policy').put('a', 'other kind, same id');
    a.close();

    const b = ControlPlaneStore.open(dir);
    try {
      const back = b.collection<{ name: string; at: Date }>('iam', 'role');
      expect(back.all()).toEqual([
        ['b', { name: 'B', at: new Date(3) }],
        ['a', { name: 'a', at: new Date(2) }],
      ]);
      expect(back.get('a')).toEqual({ name: 'a', at: new Date(2) });
      expect(b.collection<string>('iam', 'policy').get('a')).toBe('other kind, same id');
      expect(statSync(join(dir, 'control-plane.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      b.close();
    }
  });

  it('sync writes only what changed and deletes what is gone', () => {
    const store = ControlPlaneStore.open(':memory:');
    try {
      const c = store.collection<{ v: number }>('s', 'k');
      expect(
        c.sync([
          ['x', { v: 1 }],
          ['y', { v: 2 }],
        ]),
      ).toBe(2);
      expect(
        c.sync([
          ['x', { v: 1 }],
          ['y', { v: 2 }],
        ]),
      ).toBe(0);
      expect(c.sync([['x', { v: 5 }]])).toBe(2);
      expect(c.all()).toEqual([['x', { v: 5 }]]);
      c.put('p@1/a', { v: 0 });
      c.put('p@1/b', { v: 0 });
      c.put('q@1', { v: 0 });
      expect(c.deletePrefix('p@')).toBe(2);
      expect(c.delete('q@1')).toBe(true);
      expect(c.delete('q@1')).toBe(false);
      expect(c.all()).toEqual([['x', { v: 5 }]]);
    } finally {
      store.close();
    }
  });

  it('a transaction that throws leaves every collection as it was', () => {
    const store = ControlPlaneStore.open(':memory:');
    try {
      const a = store.collection<number>('s', 'a');
      const b = store.collection<number>('s', 'b');
      a.put('1', 1);
      expect(() =>
        store.transaction(() => {
          a.put('1', 2);
          b.put('1', 2);
          throw new Error('half-way');
        }),
      ).toThrow('half-way');
      expect(store.collection<number>('s', 'a').get('1')).toBe(1);
      expect(store.collection<number>('s', 'b').get('1')).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('committing runs the commit after each operation, whether it answered or threw', async () => {
    const log: string[] = [];
    const ops = committing(
      {
        Ok: async () => {
          log.push('ok');
          return 1;
        },
        Bad: async () => {
          log.push('bad');
          throw new Error('no');
        },
      },
      () => log.push('commit'),
    );
    await expect(ops.Ok?.()).resolves.toBe(1);
    await expect(ops.Bad?.()).rejects.toThrow('no');
    expect(log).toEqual(['ok', 'commit', 'bad', 'commit']);
    const skipped = committing({ Read: async () => 'r' }, () => log.push('commit'), ['Read']);
    await expect(skipped.Read?.()).resolves.toBe('r');
    expect(log).toHaveLength(4);
  });
});
