import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll } from 'vitest';
import type { EndpointsFile } from '../../src/cli/endpoints.js';

export { latestCode, secretHash } from './cognito-client.js';

const root = resolve(import.meta.dirname, '../..');

export interface RunningCloud {
  endpoints: EndpointsFile;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Every cloud started by this file's tests. A `beforeAll` that times out never receives its cloud, so its own
 * `afterAll` cannot stop it: this file-level hook (it runs after theirs) kills whatever is still running.
 */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** The last line of the start-up summary `npm start` prints right after writing endpoints.json. */
const SUMMARY_END = /\n {2}State {9}\S[^\n]*\n/;

/**
 * Starts `gatehouse start` exactly as `npm start` does (node scripts/start.mjs start), on free ports and a temp data dir, and
 * waits for endpoints.json (the file the CLI writes once every service listens), then for the start-up summary
 * that follows it on stdout, so `output()` holds the whole summary.
 */
export async function startLocalCloud(dataDir: string, extraArgs: string[] = []): Promise<RunningCloud> {
  const args = [
    join(root, 'scripts/start.mjs'),
    'start',
    '--data-dir',
    dataDir,
    '--idp-port',
    '0',
    '--hosted-ui-port',
    '0',
    '--api-port',
    '0',
    // Each run synthesizes into its own directory, so parallel suites never share a cdk.out.
    '--cdk-out',
    join(dataDir, 'cdk.out'),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  // 'close', not 'exit': the lines the CLI flushes as it exits may still be in the pipe when the process is gone.
  const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
  const file = join(dataDir, 'endpoints.json');
  // Synth (esbuild bundling) plus start-up; bounded, and fails with the CLI's own output.
  for (let i = 0; i < 1800 && !existsSync(file); i++) {
    if (child.exitCode !== null) throw new Error(`gatehouse exited early (${child.exitCode}):\n${out}`);
    await delay(100);
  }
  if (!existsSync(file)) {
    child.kill('SIGKILL');
    throw new Error(`endpoints.json never appeared:\n${out}`);
  }
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as EndpointsFile;
  // Printed just after the file is written; bounded, and a missing summary is the summary test's to report.
  for (let i = 0; i < 100 && !SUMMARY_END.test(out) && child.exitCode === null; i++) await delay(20);
  return {
    endpoints,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
