import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as Fflate from 'fflate';
import { lazyRequire } from '../../../shared/lazy.js';

/**
 * Lambda's limit on a function's unzipped code.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_UNZIPPED_BYTES = 262_144_000;

/** Loaded with the first deployment package (a CDK asset is a directory, not a zip). */
const fflate = lazyRequire<typeof Fflate>('fflate');

/** Code that cannot be installed; the API answers it as InvalidParameterValueException. */
export class CodeError extends Error {
  override readonly name = 'CodeError';
}

export interface InstalledCode {
  dir: string;
  /** Base64 SHA-256 of the deployment package, as Lambda reports CodeSha256. */
  sha256: string;
  /** Bytes of the deployment package (the zip), as Lambda reports CodeSize. */
  size: number;
}

/**
 * Unzips a deployment package into `<codeRoot>/<function>/<sha256 hex>/`, atomically: it is extracted beside its
 * place and renamed into it, so a crash never leaves half a function behind. The same package is extracted once.
 * Entries that would land outside the directory (zip slip) refuse the package. Zip files carry no Unix modes here,
 * so files are written 0644 and a top-level `bootstrap` (a custom runtime's entry point) 0755.
 */
export function installZip(zip: Uint8Array, codeRoot: string, functionName: string): InstalledCode {
  const digest = createHash('sha256').update(zip).digest();
  const dir = join(codeRoot, functionName.replace(/[^A-Za-z0-9_-]/g, '_'), digest.toString('hex'));
  const installed = { dir, sha256: digest.toString('base64'), size: zip.length };
  if (existsSync(dir)) return installed;
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    files = fflate().unzipSync(zip, {
      filter(f) {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES)
          throw new CodeError(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof CodeError) throw e;
    throw new CodeError('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  const tmp = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  mkdirSync(tmp, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) {
      const target = resolve(tmp, name);
      const rel = relative(tmp, target);
      if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
        throw new CodeError(
          'Could not unzip uploaded file. Please check your file, then try to upload again.',
        );
      }
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data, { mode: rel === 'bootstrap' ? 0o755 : 0o644 });
    }
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof CodeError || existsSync(dir)) {
      if (e instanceof CodeError) throw e;
      return installed;
    }
    throw e;
  }
  return installed;
}

/**
 * CodeSha256 and CodeSize for code the stack deployed as a directory (a cdk.out asset): a SHA-256 over the sorted
 * paths and contents, and the total bytes. AWS reports the hash and size of the zip CDK uploaded; locally there is
 * no zip, so the value identifies the code but differs from AWS's.
 */
export function hashDirectory(dir: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const data = readFileSync(p);
        hash.update(relative(dir, p)).update('\0').update(data);
        size += data.length;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return { sha256: hash.digest('base64'), size };
}
