import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, openDatabase, openStores } from './index.js';

describe('the SQLite store', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('opens in WAL mode with foreign keys on and applies each migration once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
    const extra = [
      ...migrations,
      { id: 1000, name: 'hosted ui sessions', sql: 'CREATE TABLE hosted_sessions (id TEXT PRIMARY KEY)' },
    ];
    const again = openDatabase(file, { migrations: extra });
    const applied = again.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[];
    expect(applied.map((r) => r.id)).toEqual([...migrations.map((m) => m.id), 1000]);
    again.close();
    // Reopening with the same list is a no-op.
    openDatabase(file, { migrations: extra }).close();
  });

  it('refuses duplicate migration ids', () => {
    expect(() =>
      openDatabase(':memory:', { migrations: [...migrations, { id: 1, name: 'again', sql: 'SELECT 1' }] }),
    ).toThrow(/Duplicate migration id 1/);
  });

  it('answers every sign-in lookup from an index, never a table scan', () => {
    const { db, close } = openStores(':memory:');
    const plan = (sql: string, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    const lookups = [
      'SELECT * FROM users WHERE pool_id = ? AND ukey = ?',
      'SELECT * FROM users WHERE pool_id = ? AND sub = ?',
      'SELECT * FROM users WHERE pool_id = ? AND email = ?',
      'SELECT * FROM users WHERE pool_id = ? AND phone = ?',
      'SELECT * FROM clients WHERE id = ?',
      'SELECT * FROM pools WHERE id = ?',
      'SELECT * FROM refresh_tokens WHERE token_hash = ?',
      'SELECT * FROM auth_events WHERE origin_jti = ?',
      'SELECT * FROM codes WHERE pool_id = ? AND ukey = ? AND purpose = ?',
    ];
    for (const sql of lookups) {
      const args = sql.split('?').length - 1;
      const detail = plan(sql, ...Array.from({ length: args }, () => 'x'));
      expect(detail, sql).toMatch(/USING (INDEX|PRIMARY KEY|COVERING INDEX)/);
      expect(detail, sql).not.toMatch(/^SCAN/);
    }
    close();
  });

  it('keeps the outbox newest first and matches addresses case-insensitively', () => {
    const { outbox, close } = openStores(':memory:');
    outbox.append({ to: 'A@Example.com', subject: 'one', text: '1' }, 1000);
    outbox.append({ to: 'b@example.com', subject: 'other', text: 'x' }, 1500);
    outbox.append({ to: 'a@example.com', subject: 'two', text: '2' }, 2000);
    expect(outbox.list('a@EXAMPLE.com').map((e) => e.subject)).toEqual(['two', 'one']);
    expect(outbox.list(undefined, 1).map((e) => e.subject)).toEqual(['two']);
    expect(outbox.list('a@example.com')[0]?.sentAt).toBe(new Date(2000).toISOString());
    close();
  });
});
