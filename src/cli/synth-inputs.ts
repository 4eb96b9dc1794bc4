import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * What feeds `cdk synth`, so that a start can skip it when none of it changed. The CDK app's sources are the files
 * that cdk.json's `watch` block names (the block `cdk watch` reads: `include` globs, default `**`, and `exclude`
 * globs), under the project directory; node_modules, dot-entries, the cloud assembly and the state directory are
 * never part of them. Beside those: cdk.json, cdk.context.json, the lock file, package.json and tsconfig.json, the
 * environment the app reads (GATEHOUSE_*, CDK_*, the AWS region variables, NODE_OPTIONS) and the Node version.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-watch.html
 */
export interface SynthInputs {
  /** SHA-256 over every input, hex. */
  hash: string;
  /** How many source files went into it. */
  files: number;
  /**
   * The directories that hold the app's sources, for `--watch`: watched recursively, except the project directory
   * itself (when a glob starts with a wildcard), which is watched on its own and through its subdirectories, so that
   * node_modules is never walked by a recursive watch.
   */
  watchRoots: { dir: string; recursive: boolean }[];
  /** Whether a project-relative path (with `/`) is one of the app's sources (for filtering watch events). */
  isSource(path: string): boolean;
}

const PROJECT_FILES = [
  'cdk.json',
  'cdk.context.json',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'tsconfig.json',
];
const ENV_READ_BY_THE_APP = /^(GATEHOUSE_|CDK_)|^(AWS_REGION|AWS_DEFAULT_REGION|NODE_OPTIONS)$/;
/** Names the walk never enters: dependencies (the lock file stands for them) and version control. */
const NEVER = new Set(['node_modules']);

/** Computes the inputs of `cdk synth` for the project at `projectDir`; `skipDirs` are absolute paths left out. */
export function synthInputs(opts: {
  projectDir: string;
  env: Record<string, string>;
  skipDirs: string[];
}): SynthInputs {
  const projectDir = resolve(opts.projectDir);
  const watchBlock = readWatchBlock(join(projectDir, 'cdk.json'));
  const include = (watchBlock.include ?? ['**']).map(globToRegExp);
  const exclude = (watchBlock.exclude ?? []).map(globToRegExp);
  const skip = new Set(opts.skipDirs.map((d) => resolve(d)));
  const isSource = (rel: string) =>
    include.some((re) => re.test(rel)) && !exclude.some((re) => re.test(rel)) && !hidden(rel);
  const roots = [...new Set((watchBlock.include ?? ['**']).map(staticPrefix))]
    .map((p) => join(projectDir, p))
    .filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q + sep)));

  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a root that does not exist (yet) holds no sources
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.name.startsWith('.') || NEVER.has(e.name) || skip.has(abs)) continue;
      const rel = relative(projectDir, abs).split(sep).join('/');
      if (e.isDirectory()) {
        if (!exclude.some((re) => re.test(rel) || re.test(`${rel}/`))) walk(abs);
      } else if (e.isFile() && isSource(rel)) {
        files.push(rel);
      }
    }
  };
  for (const root of roots) {
    if (existsSync(root) && !readdirSafe(root)) files.push(relative(projectDir, root));
    else walk(root);
  }
  files.sort();

  const h = createHash('sha256');
  const add = (label: string, data: string | Buffer) => {
    h.update(`${label}\0${data.length}\0`);
    h.update(data);
  };
  add('node', process.version);
  for (const f of files) add(`src:${f}`, readFileSync(join(projectDir, f)));
  for (const f of PROJECT_FILES) {
    const abs = join(projectDir, f);
    if (existsSync(abs)) add(`project:${f}`, readFileSync(abs));
  }
  for (const [k, v] of Object.entries(opts.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (ENV_READ_BY_THE_APP.test(k)) add(`env:${k}`, v);
  }
  const watchRoots = roots.filter(existsSync).flatMap((dir) => {
    if (dir !== projectDir) return [{ dir, recursive: true }];
    const subdirs = readdirSync(dir, { withFileTypes: true }).filter(
      (e) => e.isDirectory() && !e.name.startsWith('.') && !NEVER.has(e.name) && !skip.has(join(dir, e.name)),
    );
    return [{ dir, recursive: false }, ...subdirs.map((e) => ({ dir: join(dir, e.name), recursive: true }))];
  });
  return { hash: h.digest('hex'), files: files.length, watchRoots, isSource };
}

function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

function hidden(rel: string): boolean {
  return rel.split('/').some((s) => s.startsWith('.') || NEVER.has(s));
}

function readWatchBlock(cdkJson: string): { include?: string[]; exclude?: string[] } {
  if (!existsSync(cdkJson)) return {};
  const parsed = JSON.parse(readFileSync(cdkJson, 'utf8')) as {
    watch?: { include?: unknown; exclude?: unknown };
  };
  const list = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  const include = list(parsed.watch?.include);
  const exclude = list(parsed.watch?.exclude);
  return { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
}

/** The leading segments of a glob that hold no wildcard: where a walk for it starts. */
function staticPrefix(glob: string): string {
  const out: string[] = [];
  for (const seg of glob.split('/')) {
    if (/[*?[{]/.test(seg)) break;
    out.push(seg);
  }
  return out.join('/');
}

/**
 * A glob as a regular expression over `/`-separated relative paths: `**` any number of segments, `*` and `?` within
 * one segment. A pattern without a slash matches at any depth (as in cdk.json's watch block and .gitignore).
 */
export function globToRegExp(glob: string): RegExp {
  const g = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  const anchored = g.includes('/');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*' && g[i + 1] === '*') {
      // `**/` is zero or more whole segments; a trailing `**` is everything below.
      if (g[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A directory pattern also names everything below it.
  return new RegExp(`^${anchored ? '' : '(?:[^/]*/)*'}${re}(?:/.*)?$`);
}
