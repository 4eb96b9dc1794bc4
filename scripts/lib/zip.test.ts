import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32, createZip, tableCrc32, zipDirectory } from './zip.js';

/** Reads an archive back with Info-ZIP's unzip, an implementation independent of ours. */
function unzip(args: string[]): string {
  return execFileSync('unzip', args, { encoding: 'utf8' });
}

describe('createZip', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-zip-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an archive unzip verifies and extracts byte for byte', async () => {
    const big = Buffer.from('export const handler = async () => ({ statusCode: 200 });\n'.repeat(200));
    const tiny = Buffer.from([0x00, 0xff, 0x10]);
    const archive = join(dir, 'code.zip');
    await writeFile(
      archive,
      createZip([
        { name: 'index.mjs', data: big },
        { name: 'lib/bin.dat', data: tiny },
      ]),
    );

    expect(unzip(['-t', archive])).toMatch(/No errors detected/);
    expect(unzip(['-p', archive, 'index.mjs'])).toBe(big.toString());
    expect(Buffer.from(execFileSync('unzip', ['-p', archive, 'lib/bin.dat']))).toEqual(tiny);
  });

  it('marks files readable by everyone, which Lambda needs after extraction', async () => {
    const archive = join(dir, 'code.zip');
    await writeFile(archive, createZip([{ name: 'index.mjs', data: Buffer.from('x') }]));

    expect(unzip(['-Z', archive])).toMatch(/-rw-r--r--.*index\.mjs/);
  });

  it('gives the same bytes for the same files in any order', () => {
    const a = { name: 'a.js', data: Buffer.from('a') };
    const b = { name: 'b.js', data: Buffer.from('b') };

    expect(createZip([a, b]).equals(createZip([b, a]))).toBe(true);
  });

  it('refuses entry names that would escape the extraction directory', () => {
    expect(() => createZip([{ name: '../evil.js', data: Buffer.from('') }])).toThrow(/unsafe/);
    expect(() => createZip([{ name: '/etc/passwd', data: Buffer.from('') }])).toThrow(/unsafe/);
  });

  it('zips a directory tree with forward-slash names relative to it', async () => {
    await mkdir(join(dir, 'src', 'nested'), { recursive: true });
    await writeFile(join(dir, 'src', 'index.mjs'), 'export const handler = 1;');
    await writeFile(join(dir, 'src', 'nested', 'data.json'), '{}');
    const archive = join(dir, 'out.zip');

    await writeFile(archive, await zipDirectory(join(dir, 'src')));

    const listing = unzip(['-Z1', archive]).trim().split('\n').sort();
    expect(listing).toEqual(['index.mjs', 'nested/data.json']);
  });

  it('refuses to zip an empty directory', async () => {
    await expect(zipDirectory(dir)).rejects.toThrow(/No files/);
  });
});

describe('crc32', () => {
  it('matches the CRC-32 check value and the table fallback agrees with zlib', () => {
    const check = Buffer.from('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(tableCrc32(check)).toBe(0xcbf43926);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
    expect(tableCrc32(random)).toBe(crc32(random));
  });
});
