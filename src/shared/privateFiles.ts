/**
 * The local cloud's state holds signing keys, client secrets and password verifiers: no other local user may read
 * it. The data dir is 0700 and every file in it 0600.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** What {@link ensurePrivateDir} changed: the paths whose permissions it tightened, with their old modes. */
export interface Tightened {
  created: boolean;
  tightened: { path: string; from: string }[];
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Creates `dir` as 0700 (parents as the umask says), or tightens an existing one that group or others can reach,
 * and makes every regular file directly in it 0600. A shared directory (sticky bit, like /tmp) or a project's root
 * (package.json or .git in it) is refused rather than changed. Sub-directories are left as they are: a 0700 parent already
 * shuts others out of them.
 */
export function ensurePrivateDir(dir: string): Tightened {
  const result: Tightened = { created: false, tightened: [] };
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode passes through the umask; say it exactly.
    chmodSync(dir, PRIVATE_DIR_MODE);
    result.created = true;
    return result;
  }
  const mode = statSync(dir).mode;
  // Tightening is for a directory of our own: never a shared one (/tmp) or a project's root.
  if ((mode & 0o1000) !== 0) {
    throw new Error(`${dir} is a shared directory (sticky bit): give the local cloud a data dir of its own`);
  }
  if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) {
    throw new Error(`${dir} looks like a project directory: give the local cloud a data dir of its own`);
  }
  if ((mode & 0o077) !== 0) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    result.tightened.push({ path: dir, from: octal(mode) });
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    const fileMode = statSync(path).mode;
    if ((fileMode & 0o077) !== 0) {
      chmodSync(path, PRIVATE_FILE_MODE);
      result.tightened.push({ path, from: octal(fileMode) });
    }
  }
  return result;
}

/**
 * Makes sure `file` exists with mode 0600 before anything else creates it (SQLite gives its -wal and -shm files the
 * database file's mode), and tightens it if it already exists with a looser one.
 */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
}
