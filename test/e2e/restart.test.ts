import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test/fixtures/templates/triggers');

/**
 * A CDK app that costs no bundling: it copies a recorded cloud assembly into the directory the CDK CLI gives it and
 * counts its runs in a file. The real `cdk` CLI runs it (node_modules is the repository's).
 */
const APP = `
import { appendFileSync, cpSync } from 'node:fs';
appendFileSync(new URL('../runs.txt', import.meta.url), 'run\\n');
cpSync(${JSON.stringify(fixture)}, process.env.CDK_OUTDIR, { recursive: true });
`;

/** `npm start` a second time with nothing changed does not run `cdk synth`; a change or `--synth` does. */
describe('gatehouse start: the synth is skipped when nothing that feeds it changed', () => {
  const project = mkdtempSync(join(tmpdir(), 'gatehouse-restart-project-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-restart-data-'));
  const manifest = join(dataDir, 'cdk.out', 'manifest.json');
  const runs = () => readFileSync(join(project, 'runs.txt'), 'utf8').trim().split('\n').length;
  let cloud: RunningCloud | undefined;

  /** Starts, stops, and returns what the start logged. */
  const startOnce = async (args: string[] = []): Promise<string> => {
    rmSync(join(dataDir, 'endpoints.json'), { force: true });
    cloud = await startLocalCloud(dataDir, ['--project-dir', project, ...args]);
    await cloud.stop();
    const out = cloud.output();
    cloud = undefined;
    return out;
  };

  beforeAll(() => {
    mkdirSync(join(project, 'app'));
    writeFileSync(join(project, 'app/synth.mjs'), APP);
    writeFileSync(
      join(project, 'cdk.json'),
      JSON.stringify({ app: 'node app/synth.mjs', watch: { include: ['app/**'] } }),
    );
    writeFileSync(join(project, 'package-lock.json'), '{}');
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
  });
  afterAll(async () => {
    await cloud?.stop();
    for (const dir of [project, dataDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('synthesizes on the first start and says so', async () => {
    const out = await startOnce();
    expect(out).toContain('synthesized the CDK stack');
    expect(out).toContain('no previous synth into this directory');
    expect(runs()).toBe(1);
    expect(existsSync(manifest)).toBe(true);
  }, 120_000);

  it('skips the synth on a second start with nothing changed, and says so', async () => {
    const before = statSync(manifest).mtimeMs;
    const out = await startOnce();
    expect(out).toContain('skipped cdk synth: nothing that feeds it changed since the last synth');
    expect(out).not.toContain('synthesized the CDK stack');
    expect(runs()).toBe(1);
    expect(statSync(manifest).mtimeMs).toBe(before);
  }, 120_000);

  it('synthesizes again when a source of the app changed', async () => {
    writeFileSync(join(project, 'app/synth.mjs'), `${APP}\n// edited\n`);
    const out = await startOnce();
    expect(out).toContain('its inputs changed since the last synth');
    expect(runs()).toBe(2);
  }, 120_000);

  it('synthesizes when told to with --synth, even with nothing changed', async () => {
    const before = statSync(manifest).mtimeMs;
    const out = await startOnce(['--synth']);
    expect(out).toContain('forced (--synth)');
    expect(runs()).toBe(3);
    expect(statSync(manifest).mtimeMs).toBeGreaterThan(before);
  }, 120_000);

  it('skips it again after a forced synth, and never with --no-synth', async () => {
    expect(await startOnce()).toContain('skipped cdk synth');
    const out = await startOnce(['--no-synth']);
    expect(out).not.toContain('cdk synth');
    expect(runs()).toBe(3);
  }, 120_000);
});
