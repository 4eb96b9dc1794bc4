import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseIntegrityError, openDatabase, openMarkerPath } from './db.js';
import type { Migration } from './migrations.js';

const notes: Migration[] = [
  { id: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' },
];

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-db-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A database with enough rows to span many pages, closed cleanly. */
function populated(dir: string): string {
  const file = join(dir, 'gatehouse.sqlite');
  const db = openDatabase(file, { migrations: notes });
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`note ${i} ${'x'.repeat(200)}`);
  })();
  db.close();
  return file;
}

describe('openDatabase: secrets on disk (issue 10, finding 4)', () => {
  it('creates the data dir 0700 and the database, its WAL and SHM 0600', () => {
    const dir = join(tempDir(), 'state');
    const file = join(dir, 'gatehouse.sqlite');
    const db = openDatabase(file, { migrations: notes });
    try {
      db.prepare('INSERT INTO notes (body) VALUES (?)').run('a');
      expect(mode(dir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`, openMarkerPath(file)]) {
        expect({ f, mode: mode(f) }).toEqual({ f, mode: 0o600 });
      }
    } finally {
      db.close();
    }
  });

  it('tightens an existing world-readable data dir and database', () => {
    const dir = tempDir();
    const file = populated(dir);
    // As the old code left them: 0755 and 0644.
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(join(dir, 'endpoints.json'), '{}', { mode: 0o644 });
    openDatabase(file, { migrations: notes }).close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(join(dir, 'endpoints.json'))).toBe(0o600);
  });
});

describe('openDatabase: integrity at start (issue 10, finding 9)', () => {
  it('opens a cleanly closed database and leaves no open marker behind after close', () => {
    const file = populated(tempDir());
    expect(existsSync(openMarkerPath(file))).toBe(false);
    const db = openDatabase(file, { migrations: notes });
    expect(existsSync(openMarkerPath(file))).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 2000 });
    db.close();
    expect(existsSync(openMarkerPath(file))).toBe(false);
  });

  it('opens a database whose WAL another connection deleted after a clean close (nothing was lost)', () => {
    const file = populated(tempDir());
    const db = openDatabase(file, { migrations: notes });
    // A second connection (a sqlite3 shell, say) outlives ours, so our close leaves the WAL in place...
    const shell = new Database(file);
    shell.prepare('SELECT count(*) FROM notes').get();
    db.prepare('INSERT INTO notes (body) VALUES (?)').run('kept');
    db.close();
    expect(existsSync(openMarkerPath(file))).toBe(false);
    // ...and deletes it when it closes last.
    shell.close();
    const again = openDatabase(file, { migrations: notes });
    expect(again.prepare("SELECT count(*) AS n FROM notes WHERE body = 'kept'").get()).toEqual({ n: 1 });
    again.close();
  });

  it('refuses a database with overwritten pages, naming the file, and writes nothing into it', () => {
    const file = populated(tempDir());
    const bytes = readFileSync(file);
    // Random bytes over pages in the middle of the table's b-tree (the header page stays intact).
    const page = 4096;
    let seed = 42;
    for (let p = 10; p < 20; p++) {
      for (let i = 0; i < page; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        bytes[p * page + i] = seed & 0xff;
      }
    }
    writeFileSync(file, bytes);
    const before = sha(file);
    let error: unknown;
    try {
      openDatabase(file, { migrations: notes });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseIntegrityError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toMatch(/is damaged/);
    expect(message).toMatch(/restore it .* from a backup, or move the data dir aside/);
    expect(message).not.toContain('\n');
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(openMarkerPath(file))).toBe(false);
  });

  it('refuses a database left open (as by kill -9) whose WAL was deleted, and writes nothing into it', () => {
    const live = tempDir();
    const file = join(live, 'gatehouse.sqlite');
    const db = openDatabase(file, { migrations: notes });
    try {
      // Acknowledged writes that live in the WAL only (below the auto-checkpoint threshold).
      db.prepare('INSERT INTO notes (body) VALUES (?)').run('acknowledged');
      // What a kill -9 leaves on disk is the database, its WAL, its SHM and the open marker; copy that, minus the WAL.
      const crashed = join(tempDir(), 'crashed');
      mkdirSync(crashed, { mode: 0o700 });
      const copy = join(crashed, 'gatehouse.sqlite');
      copyFileSync(file, copy);
      copyFileSync(openMarkerPath(file), openMarkerPath(copy));
      const before = sha(copy);
      expect(() => openDatabase(copy, { migrations: notes })).toThrow(DatabaseIntegrityError);
      expect(() => openDatabase(copy, { migrations: notes })).toThrow(
        /gatehouse\.sqlite was not closed cleanly and its write-ahead log \(-wal\) is missing/,
      );
      expect(sha(copy)).toBe(before);

      // Only the SHM left beside it (the marker gone too) is refused as well.
      rmSync(openMarkerPath(copy));
      copyFileSync(`${file}-shm`, `${copy}-shm`);
      expect(() => openDatabase(copy, { migrations: notes })).toThrow(/-shm.*-wal\) is missing/);

      // With its WAL, the same crashed copy recovers every acknowledged write.
      copyFileSync(openMarkerPath(file), openMarkerPath(copy));
      copyFileSync(`${file}-wal`, `${copy}-wal`);
      const recovered = openDatabase(copy, { migrations: notes });
      expect(recovered.prepare("SELECT count(*) AS n FROM notes WHERE body = 'acknowledged'").get()).toEqual({
        n: 1,
      });
      recovered.close();
    } finally {
      db.close();
    }
  });
});
