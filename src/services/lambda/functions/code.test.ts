import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeError, hashDirectory, installZip } from './code.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-code-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('installZip', () => {
  it('unzips into a directory named by the package hash, once, with an executable bootstrap', () => {
    const root = tmp();
    const pkg = zipSync({
      'index.js': strToU8('exports.x = 1'),
      'lib/a.js': strToU8('a'),
      bootstrap: strToU8('#!/bin/sh'),
    });
    const a = installZip(pkg, root, 'my-fn');
    expect(a.dir).toMatch(/my-fn\/[0-9a-f]{64}$/);
    expect(readFileSync(join(a.dir, 'lib/a.js'), 'utf8')).toBe('a');
    expect(statSync(join(a.dir, 'bootstrap')).mode & 0o111).not.toBe(0);
    expect(a.size).toBe(pkg.length);
    expect(installZip(pkg, root, 'my-fn')).toEqual(a);
  });

  it('refuses a package that is not a zip or writes outside its directory, leaving nothing behind', () => {
    const root = tmp();
    expect(() => installZip(strToU8('nope'), root, 'f')).toThrow(CodeError);
    expect(() => installZip(zipSync({ '../../evil.js': strToU8('x') }), root, 'f')).toThrow(CodeError);
    expect(existsSync(join(root, '..', 'evil.js'))).toBe(false);
    expect(existsSync(join(root, 'f')) ? readdirSync(join(root, 'f')) : []).toEqual([]);
  });
});

describe('hashDirectory', () => {
  it('changes when a file changes', () => {
    const root = tmp();
    const one = installZip(zipSync({ 'a.js': strToU8('1') }), root, 'f');
    const two = installZip(zipSync({ 'a.js': strToU8('2') }), root, 'f');
    expect(hashDirectory(one.dir).sha256).not.toBe(hashDirectory(two.dir).sha256);
    expect(hashDirectory(one.dir).size).toBe(1);
  });
});
