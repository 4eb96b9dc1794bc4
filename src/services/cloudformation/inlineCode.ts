/**
 * Inline (`Code.ZipFile`) function code, written to disk so a worker can load it like an asset directory. This is
 * the one place template reading writes files; the translation itself only lists them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One inline code file the translation asks for: `<dir>/<file>` holding `source`. */
export interface InlineCodeFile {
  dir: string;
  /** `index.js` (Node.js) or `index.py` (Python), as Lambda names ZipFile code. */
  file: string;
  source: string;
}

/** Writes each file unless it already holds the same source (the directory name carries the content hash). */
export function writeInlineCode(files: readonly InlineCodeFile[]): void {
  for (const { dir, file, source } of files) {
    const path = join(dir, file);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== source) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, source);
    }
  }
}
