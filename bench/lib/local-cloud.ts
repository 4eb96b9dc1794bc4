/**
 * The whole local cloud as a benchmark target: `gatehouse start` spawned exactly as `npm start` runs it, a user signed
 * up, confirmed and signed in through the AWS SDK, and the memory of its process tree sampled from /proc.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { EndpointsFile } from '../../src/cli/endpoints.js';
import { latestCode, secretHash } from '../../test/helpers/cognito-client.js';
import { onCpus } from './affinity.js';

const root = resolve(import.meta.dirname, '../..');
/** Synth (cdk + esbuild bundling) plus start-up on a busy 2-core machine; bounded so the bench never hangs. */
const START_TIMEOUT_MS = 120_000;

export interface BenchCloud {
  endpoints: EndpointsFile;
  /** The process we spawned: `npm` (what a developer runs), or `taskset` exec'ing it when pinned. */
  rootPid: number;
  /** The node process running scripts/start.mjs: every server and the Lambda worker threads. */
  serverPid: number;
  /** From spawn to endpoints.json, in ms. */
  startMs: number;
  /** stdout + stderr of the cloud (function logs, access logs), kept in a file as a terminal would show them. */
  logFile: string;
  stop(): Promise<void>;
}

export interface BenchCloudOptions {
  /** CLI options after the bench's own (for experiments, e.g. `--log-level warn`, or `--synth`). */
  extraArgs?: string[];
  /** A CPU list for `taskset -c` (e.g. `1`): the cloud and every thread and process it starts stay on it. */
  cpus?: string;
  /** The cloud assembly directory (default: `cdk.out` inside the data dir, so runs never share one). */
  cdkOut?: string;
}

/**
 * Runs `npm start -- …` from the repository root, exactly what a developer types, on free ports with a temp data
 * dir, and waits for endpoints.json. `BENCH_CPU_PROF=1` runs `node --cpu-prof scripts/start.mjs start …` instead
 * (what npm runs, without npm), whose CPU profile goes to .bench-prof/ when it stops.
 * Output goes to a file rather than a pipe so that this process (which also generates the load) never has to read it.
 */
export async function startBenchCloud(dataDir: string, opts: BenchCloudOptions = {}): Promise<BenchCloud> {
  const logFile = join(dataDir, `cloud-${Date.now()}.log`);
  const fd = openSync(logFile, 'w');
  const npmArgs = [
    'start',
    '--silent',
    '--',
    '--data-dir',
    dataDir,
    '--cdk-out',
    opts.cdkOut ?? join(dataDir, 'cdk.out'),
    '--idp-port',
    '0',
    '--hosted-ui-port',
    '0',
    '--api-port',
    '0',
    ...(opts.extraArgs ?? []),
  ];
  // BENCH_CPU_PROF=1: node itself, with --cpu-prof (which NODE_OPTIONS may not carry), instead of npm.
  const prof = process.env.BENCH_CPU_PROF
    ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(root, '.bench-prof')}`, 'scripts/start.mjs']]
    : undefined;
  const [base, baseArgs] = prof ?? ['npm', ['start', '--silent', '--']];
  const cliArgs = npmArgs.slice(3);
  const [cmd, args] = onCpus(opts.cpus, base as string, [
    ...(baseArgs as string[]),
    ...(prof ? ['start'] : []),
    ...cliArgs,
  ]);
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const rootPid = child.pid;
  if (rootPid === undefined) throw new Error('could not spawn the local cloud');
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Whatever happens, the cloud does not outlive the benchmark.
  const killer = () => {
    killTree(rootPid);
  };
  process.once('exit', killer);
  const tail = () => readFileSync(logFile, 'utf8').slice(-4000);
  const file = join(dataDir, 'endpoints.json');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(file)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the local cloud exited early (${child.exitCode ?? child.signalCode}):\n${tail()}`);
    }
    if (Date.now() > deadline) {
      killTree(rootPid);
      throw new Error(`endpoints.json never appeared within ${START_TIMEOUT_MS / 1000} s:\n${tail()}`);
    }
    await delay(20);
  }
  const startMs = performance.now() - t0;
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as EndpointsFile;
  const serverPid =
    [rootPid, ...descendants(rootPid)].find(
      (pid) =>
        readProc(pid, 'comm')?.trim() === 'node' &&
        (readProc(pid, 'cmdline') ?? '').includes('scripts/start.mjs'),
    ) ?? rootPid;
  return {
    endpoints,
    rootPid,
    serverPid,
    startMs,
    logFile,
    async stop() {
      process.off('exit', killer);
      if (child.exitCode !== null || child.signalCode !== null) return;
      // npm passes SIGTERM on to the cloud, which shuts down and exits; npm then exits with it.
      process.kill(serverPid, 'SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(10_000).then(() => true)]);
      // A graceful stop that hangs must not leave servers behind.
      if (timedOut) killTree(rootPid);
    },
  };
}

/**
 * Signs a fresh user up, confirms it with the mailed code and signs it in with USER_PASSWORD_AUTH through the AWS SDK,
 * against the first pool and client in endpoints.json. Returns the access token (never printed).
 */
export async function signInBenchUser(
  endpoints: EndpointsFile,
): Promise<{ accessToken: string; sub: string }> {
  const client = endpoints.userPools[0]?.clients[0];
  if (!client?.secret) throw new Error('endpoints.json has no pool client with a secret');
  const cognito = new CognitoIdentityProviderClient({
    endpoint: endpoints.cognitoIdpEndpoint,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const email = `bench-${randomUUID()}@example.com`;
  const password = `Bench-${randomUUID()}-9a`;
  const hash = secretHash(email, client.id, client.secret);
  const up = await cognito.send(
    new SignUpCommand({
      ClientId: client.id,
      Username: email,
      Password: password,
      SecretHash: hash,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  const code = await latestCode(endpoints.inboxUrl, email);
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: client.id,
      Username: email,
      ConfirmationCode: code,
      SecretHash: hash,
    }),
  );
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId: client.id,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash },
    }),
  );
  cognito.destroy();
  const accessToken = auth.AuthenticationResult?.AccessToken;
  if (!accessToken || !up.UserSub) throw new Error('sign-in returned no access token');
  return { accessToken, sub: up.UserSub };
}

export interface TreeRss {
  /** Peak of the summed VmRSS of the cloud's own tree (the node process running it and any process it started). */
  cloudPeakMb: number;
  /** Peak of the summed VmRSS of everything `npm start` started: npm itself, its shell, and the cloud's tree. */
  treePeakMb: number;
  /** The cloud's tree at the first sample (idle, before any load). */
  cloudStartMb: number;
  /** VmHWM of the server process: its lifetime peak as the kernel counted it, between our samples included. */
  serverHwmMb: number;
  /** The processes of the whole tree at the sample where the sum peaked, with their VmRSS. */
  treeAtPeak: { pid: number; name: string; mb: number }[];
}

/** VmRSS of a process tree, summed, from /proc: every process under `pid`, and under `serverPid` alone. */
export function treeRss(rootPid: number, serverPid: number) {
  const procs = [rootPid, ...descendants(rootPid)].flatMap((pid) => {
    const kb = statusKb(pid, 'VmRSS');
    return kb === undefined ? [] : [{ pid, name: readProc(pid, 'comm')?.trim() ?? '?', mb: kb / 1024 }];
  });
  const cloudPids = new Set([serverPid, ...descendants(serverPid)]);
  return {
    procs,
    treeMb: procs.reduce((s, p) => s + p.mb, 0),
    cloudMb: procs.filter((p) => cloudPids.has(p.pid)).reduce((s, p) => s + p.mb, 0),
  };
}

/** Samples VmRSS of a process tree from /proc every 100 ms until `stop()`. Linux only. */
export function sampleTreeRss(rootPid: number, serverPid: number): { stop(): TreeRss } {
  let cloudPeak = 0;
  let treePeak = 0;
  let treeAtPeak: TreeRss['treeAtPeak'] = [];
  const cloudStartMb = treeRss(rootPid, serverPid).cloudMb;
  const sample = () => {
    const t = treeRss(rootPid, serverPid);
    if (t.treeMb > treePeak) {
      treePeak = t.treeMb;
      treeAtPeak = t.procs;
    }
    cloudPeak = Math.max(cloudPeak, t.cloudMb);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return {
        cloudPeakMb: cloudPeak,
        treePeakMb: treePeak,
        cloudStartMb,
        serverHwmMb: (statusKb(serverPid, 'VmHWM') ?? 0) / 1024,
        treeAtPeak,
      };
    },
  };
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process (or thread) has just exited
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readProc(pid, 'status') ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Direct children, over every thread: a process started from a worker thread is listed under that thread. */
function childPids(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) =>
    (readProc(pid, `task/${tid}/children`) ?? '').split(' ').filter(Boolean).map(Number),
  );
}

export function descendants(pid: number): number[] {
  return childPids(pid).flatMap((c) => [c, ...descendants(c)]);
}

export function killTree(pid: number): void {
  for (const p of [...descendants(pid).reverse(), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
