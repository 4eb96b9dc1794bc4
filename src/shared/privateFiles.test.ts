import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile } from './privateFiles.js';

const roots: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-private-'));
  roots.push(d);
  return d;
};
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});
const mode = (p: string) => statSync(p).mode & 0o7777;

describe('ensurePrivateDir', () => {
  it('creates a missing data dir 0700', () => {
    const dir = join(temp(), 'state');
    expect(ensurePrivateDir(dir)).toEqual({ created: true, tightened: [] });
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens a readable dir and its files, saying what it changed, and leaves sub-directories alone', () => {
    const dir = join(temp(), 'state');
    mkdirSync(join(dir, 'cdk.out'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'gatehouse.sqlite'), '', { mode: 0o644 });
    writeFileSync(join(dir, 'endpoints.json'), '{}', { mode: 0o600 });
    const result = ensurePrivateDir(dir);
    expect(result.tightened).toEqual([
      { path: dir, from: '0755' },
      { path: join(dir, 'gatehouse.sqlite'), from: '0644' },
    ]);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'gatehouse.sqlite'))).toBe(0o600);
    expect(mode(join(dir, 'cdk.out'))).toBe(0o755);
    expect(ensurePrivateDir(dir).tightened).toEqual([]);
  });

  it('refuses a shared sticky directory such as /tmp instead of changing it', () => {
    const dir = join(temp(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    expect(() => ensurePrivateDir(dir)).toThrow(/shared directory/);
    expect(mode(dir)).toBe(0o1777);
  });

  it("refuses a project's root instead of changing its files", () => {
    const dir = temp();
    writeFileSync(join(dir, 'package.json'), '{}', { mode: 0o644 });
    chmodSync(dir, 0o755);
    expect(() => ensurePrivateDir(dir)).toThrow(/project directory/);
    expect(mode(join(dir, 'package.json'))).toBe(0o644);
  });
});

describe('ensurePrivateFile', () => {
  it('creates a file 0600, whatever the umask, and tightens an existing one', () => {
    const dir = temp();
    ensurePrivateFile(join(dir, 'a'));
    expect(mode(join(dir, 'a'))).toBe(0o600);
    writeFileSync(join(dir, 'b'), 'x', { mode: 0o644 });
    ensurePrivateFile(join(dir, 'b'));
    expect(mode(join(dir, 'b'))).toBe(0o600);
  });
});
