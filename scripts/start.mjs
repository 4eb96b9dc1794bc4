// `npm start`: runs src/cli.ts from a JavaScript copy of src/ kept in .cache/start/, transpiled file by file with
// esbuild (what tsx does on every start, done once). Only the files whose size or mtime changed since the last start
// are transpiled again, so an unchanged checkout starts with no TypeScript work at all, and without tsx's loader
// thread (tens of MB and about a second of CPU per start on this machine).
// Usage: node scripts/start.mjs start [options]    (the CLI's own arguments)
// `NODE_OPTIONS=--enable-source-maps` maps stack traces back to the TypeScript sources.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cacheDir = join(root, '.cache', 'start');
const stampFile = join(cacheDir, 'stamp.json');

/** Every .ts source under src/ (tests left out) with its size and mtime. */
function sources() {
  const out = new Map();
  for (const rel of readdirSync(join(root, 'src'), { recursive: true })) {
    if (!rel.endsWith('.ts') || rel.endsWith('.test.ts') || rel.endsWith('.d.ts')) continue;
    const path = join('src', rel);
    const st = statSync(join(root, path));
    if (st.isFile()) out.set(path.split(sep).join('/'), `${st.size}:${st.mtimeMs}`);
  }
  return out;
}

function readStamp() {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(stampFile, 'utf8'))));
  } catch {
    return new Map();
  }
}

/** Writes through a temporary name, so that a start running beside this one never reads half a file. */
function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

async function refresh() {
  const now = sources();
  const before = readStamp();
  const stale = [...now].filter(([path, sig]) => before.get(path) !== sig).map(([path]) => path);
  const gone = [...before.keys()].filter((path) => !now.has(path));
  if (stale.length === 0 && gone.length === 0) return;
  if (stale.length > 0) {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: stale.map((p) => join(root, p)),
      outbase: root,
      outdir: cacheDir,
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      tsconfig: join(root, 'tsconfig.json'),
      write: false,
      logLevel: 'error',
    });
    // esbuild keeps its service process (over 100 MiB) alive for later builds; there are none, so give it back.
    await esbuild.stop();
    for (const f of result.outputFiles) writeAtomic(f.path, f.contents);
  }
  for (const path of gone) {
    const js = join(cacheDir, path.replace(/\.ts$/, '.js'));
    rmSync(js, { force: true });
    rmSync(`${js}.map`, { force: true });
  }
  writeAtomic(stampFile, JSON.stringify(Object.fromEntries(now)));
}

let entry = join(cacheDir, 'src', 'cli.js');
try {
  await refresh();
} catch (err) {
  // No esbuild (a production install) or an unwritable checkout: run the sources through tsx as before.
  process.stderr.write(`gatehouse: running from sources (${err instanceof Error ? err.message : err})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'src', 'cli.ts');
}
await import(pathToFileURL(entry).href);
