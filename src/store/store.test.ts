import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, openDatabase, openStores, SqliteIdpStore } from './index.js';

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

  it('answers every statement of the user pool store from an index, never a table scan', () => {
    const { db, close } = openStores(':memory:');
    const statements = Object.entries(new SqliteIdpStore(db).statementSql());
    // The sign-in path's lookups are among them (a rename would drop them from the check unnoticed).
    expect(statements.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'users.getUser',
        'users.getUserBySub',
        'users.usersByEmail',
        'users.beginAttempt',
        'codes.countAttempt',
        'clients.getClient',
        'pools.getPool',
        'tokens.getRefresh',
        'hostedUi.useCode',
      ]),
    );
    for (const [name, sql] of statements) {
      const named = [...new Set(sql.match(/@\w+/g) ?? [])].map((k) => k.slice(1));
      const args = named.length
        ? [Object.fromEntries(named.map((k) => [k, 'x']))]
        : Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      // Plain INSERTs have no plan; everything else must be an index or primary-key search.
      if (/^\s*INSERT/i.test(sql) && detail === '') continue;
      expect(detail, name).toMatch(/USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/);
      expect(detail, name).not.toMatch(/(^|\| )SCAN /);
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
