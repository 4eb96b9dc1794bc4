/**
 * Inline (`Code.ZipFile`) function code, written to disk so a worker can load it like an asset directory. This is
 * the one place template reading writes files; the translation itself only lists them. Beside code that loads it,
 * the response module CloudFormation provides to inline code is written too (./cfnResponse.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inlinePackageFiles } from './cfnResponse.js';

/** One inline code file the translation asks for: `<dir>/<file>` holding `source`. */
export interface InlineCodeFile {
  dir: string;
  /** `index.js` (Node.js) or `index.py` (Python), as Lambda names ZipFile code. */
  file: string;
  source: string;
}

/**
 * Writes each file, and the response module beside code that loads it, unless the file already holds the same source
 * (the directory name carries the code's content hash; a module changed by a new version is rewritten).
 */
export function writeInlineCode(files: readonly InlineCodeFile[]): void {
  for (const { dir, file, source } of files) {
    for (const [path, text] of Object.entries(inlinePackageFiles(file, source)))
      writeIfChanged(join(dir, path), text);
  }
}

function writeIfChanged(path: string, source: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== source) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source);
  }
}
