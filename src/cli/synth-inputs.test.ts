import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { globToRegExp, synthInputs } from './synth-inputs.js';

describe('globToRegExp', () => {
  it('matches cdk.json watch globs the way cdk watch reads them', () => {
    expect(globToRegExp('app/**').test('app/infra/stack.ts')).toBe(true);
    expect(globToRegExp('app/**').test('application/x.ts')).toBe(false);
    expect(globToRegExp('**/*.test.ts').test('app/functions/api.test.ts')).toBe(true);
    expect(globToRegExp('**/*.test.ts').test('api.test.ts')).toBe(true);
    expect(globToRegExp('*.ts').test('lib/deep/x.ts')).toBe(true);
    expect(globToRegExp('lib/*.ts').test('lib/deep/x.ts')).toBe(false);
    expect(globToRegExp('lib/?.ts').test('lib/x.ts')).toBe(true);
    expect(globToRegExp('cdk.out').test('cdk.out/manifest.json')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('synthInputs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const project = (watch?: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-synth-inputs-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'app/functions'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/dep'), { recursive: true });
    mkdirSync(join(dir, 'cdk.out'), { recursive: true });
    writeFileSync(
      join(dir, 'cdk.json'),
      JSON.stringify({ app: 'node app/main.js', ...(watch ? { watch } : {}) }),
    );
    writeFileSync(join(dir, 'app/main.ts'), 'new Stack();');
    writeFileSync(join(dir, 'app/functions/api.ts'), 'export const handler = 1;');
    writeFileSync(join(dir, 'app/functions/api.test.ts'), 'test();');
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    writeFileSync(join(dir, 'node_modules/dep/index.js'), '1');
    return dir;
  };
  const hash = (dir: string, env: Record<string, string> = {}) =>
    synthInputs({ projectDir: dir, env, skipDirs: [join(dir, 'cdk.out')] }).hash;

  it('stays the same when nothing that feeds the synth changed', () => {
    const dir = project({ include: ['app/**'], exclude: ['**/*.test.ts'] });
    const first = synthInputs({ projectDir: dir, env: {}, skipDirs: [join(dir, 'cdk.out')] });
    expect(first.files).toBe(2);
    writeFileSync(join(dir, 'app/functions/api.test.ts'), 'test(); test();');
    writeFileSync(join(dir, 'node_modules/dep/index.js'), '2');
    writeFileSync(join(dir, 'cdk.out/manifest.json'), '{}');
    writeFileSync(join(dir, 'README.md'), 'outside app/');
    expect(hash(dir, { PATH: '/elsewhere', HOME: '/h' })).toBe(first.hash);
  });

  it('changes with a source, cdk.json, context, the lock file and the environment the app reads', () => {
    const dir = project({ include: ['app/**'], exclude: ['**/*.test.ts'] });
    const seen = new Set([hash(dir)]);
    const changed = (h: string) => {
      expect(seen.has(h)).toBe(false);
      seen.add(h);
    };
    writeFileSync(join(dir, 'app/functions/api.ts'), 'export const handler = 2;');
    changed(hash(dir));
    writeFileSync(join(dir, 'app/functions/new.ts'), '');
    changed(hash(dir));
    writeFileSync(join(dir, 'cdk.context.json'), '{"k":"v"}');
    changed(hash(dir));
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
    changed(hash(dir));
    changed(hash(dir, { GATEHOUSE_STACK_NAME: 'Other' }));
    changed(hash(dir, { CDK_CONTEXT_JSON: '{}' }));
    changed(hash(dir, { AWS_REGION: 'eu-west-1' }));
    writeFileSync(
      join(dir, 'cdk.json'),
      JSON.stringify({ app: 'node app/other.js', watch: { include: ['app/**'] } }),
    );
    changed(hash(dir));
  });

  it('takes every file but node_modules, dot-entries and the assembly when cdk.json names no watch block', () => {
    const dir = project();
    const inputs = synthInputs({ projectDir: dir, env: {}, skipDirs: [join(dir, 'cdk.out')] });
    // app/main.ts, both functions files, cdk.json, package-lock.json
    expect(inputs.files).toBe(5);
    expect(inputs.watchRoots).toContainEqual({ dir, recursive: false });
    expect(inputs.watchRoots).toContainEqual({ dir: join(dir, 'app'), recursive: true });
    expect(inputs.watchRoots.some((r) => r.dir.includes('node_modules') || r.dir.endsWith('cdk.out'))).toBe(
      false,
    );
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git/HEAD'), 'ref');
    expect(hash(dir)).toBe(inputs.hash);
  });
});
