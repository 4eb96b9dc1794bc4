import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const root = resolve(import.meta.dirname, '../..');

/** `npm start -- --watch`: a change to the app's source is re-synthesized and the function reloaded, no restart. */
describe('gatehouse start --watch', () => {
  const project = mkdtempSync(join(tmpdir(), 'gatehouse-watch-project-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-watch-data-'));
  let cloud: RunningCloud;

  beforeAll(async () => {
    // A copy of the project (sharing node_modules), so the test edits its own app/ and never the repository's.
    for (const f of ['app', 'cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      cpSync(join(root, f), join(project, f), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    cloud = await startLocalCloud(dataDir, ['--watch', '--project-dir', project]);
  }, 600_000);
  afterAll(async () => {
    await cloud?.stop();
    for (const dir of [project, dataDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the edited handler after the source changes', async () => {
    const url = `${cloud.endpoints.apis[0]?.url}/`;
    expect(await (await fetch(url)).text()).toContain('Hello from Gatehouse!');

    const handler = join(project, 'app/functions/api.ts');

    // A save that leaves the bytes as they were costs a hash, not a synth.
    const unchanged = readFileSync(handler, 'utf8');
    writeFileSync(handler, unchanged);
    await expect
      .poll(() => cloud.output(), { timeout: 60_000, interval: 200 })
      .toContain('not re-synthesizing');
    expect(cloud.output()).not.toContain('re-synthesized the CDK app');

    writeFileSync(handler, unchanged.replace('Hello from Gatehouse!', 'Hello from the watcher!'));
    // Re-synthesis (esbuild bundling) takes seconds: poll the API, bounded, until the new code answers.
    await expect
      .poll(async () => (await fetch(url)).text(), { timeout: 120_000, interval: 1_000 })
      .toContain('Hello from the watcher!');
    expect(cloud.output()).toContain('re-synthesized the CDK app');
    expect(cloud.output()).toContain('reloaded functions and routes');
  }, 180_000);
});
