/**
 * `npm run bench:memory`: the resident memory of the whole `npm start` process tree (npm, its shell, the cloud's node
 * process and anything it starts), idle after start and at its peak under the gateway benchmark's load, with each
 * process's share split into anonymous memory (heaps) and file-backed pages (the node binary, shared libraries).
 *
 * Run as `npm run bench:gateway` runs the local cloud: `npm start` on a fresh data dir (so the first start's synth and
 * stack deployment happen), pinned to one core with the load generator on the other; a user signed up, confirmed and
 * signed in through the AWS SDK, one authorized `GET /person`, then 1 s to settle: that is "idle after start". Then
 * authorized `GET /person` at 10 connections for 2 s of warm-up and 10 s measured, the tree sampled every 100 ms.
 * `BENCH_RUNS=n` repeats the whole (default 3); `BENCH_CDK_OUT=dir` reuses one cloud assembly (restarts, no synth).
 * Targets (issue 17): < 150 MiB idle after start, < 200 MiB under load. The sum is of VmRSS, as `ps` shows it: pages
 * shared between processes (the node binary's code in npm and in the cloud) are counted once per process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LOAD_CPU, SERVER_CPU, setAffinity } from './lib/affinity.js';
import { CONNECTIONS, LOADGEN, runLoad } from './lib/load.js';
import { descendants, signInBenchUser, startBenchCloud } from './lib/local-cloud.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOAD_S = 10;

interface Proc {
  pid: number;
  name: string;
  rssMb: number;
  anonMb: number;
  fileMb: number;
  threads: number;
  /** VmHWM: the process's peak RSS as the kernel counted it, between samples included. */
  hwmMb: number;
}

function procs(rootPid: number): Proc[] {
  return [rootPid, ...descendants(rootPid)].flatMap((pid) => {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return []; // just exited
    }
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return [
      {
        pid,
        name: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?',
        rssMb: kb('VmRSS') / 1024,
        anonMb: kb('RssAnon') / 1024,
        fileMb: kb('RssFile') / 1024,
        threads: kb('Threads'),
        hwmMb: kb('VmHWM') / 1024,
      },
    ];
  });
}

const mb = (v: number) => v.toFixed(1);
const show = (ps: Proc[]) =>
  ps
    .map(
      (p) =>
        `${p.name}[${p.pid}] ${mb(p.rssMb)} (anon ${mb(p.anonMb)}, file ${mb(p.fileMb)}, ${p.threads} threads)`,
    )
    .join('\n    ');

interface Run {
  load: string;
  startS: number;
  idleMb: number;
  peakMb: number;
  rps: number;
}

async function once(n: number): Promise<Run> {
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-memory-'));
  const cloud = await startBenchCloud(dataDir, {
    cpus: SERVER_CPU,
    ...(process.env.BENCH_CDK_OUT ? { cdkOut: process.env.BENCH_CDK_OUT } : {}),
  });
  try {
    const { accessToken, sub } = await signInBenchUser(cloud.endpoints);
    const url = `${cloud.endpoints.apis[0]?.url}/person`;
    const headers = { authorization: `Bearer ${accessToken}` };
    const probe = await fetch(url, { headers });
    if (probe.status !== 200 || !(await probe.text()).includes(sub))
      throw new Error(`GET /person: ${probe.status}`);
    await delay(1000);
    const idle = procs(cloud.rootPid);
    const idleMb = idle.reduce((s, p) => s + p.rssMb, 0);
    console.log(
      `\nrun ${n}: load average ${load}, npm start to endpoints.json ${(cloud.startMs / 1000).toFixed(1)} s`,
    );
    console.log(`  idle after start: ${mb(idleMb)} MiB\n    ${show(idle)}`);
    await runLoad({ url, headers }, 2);
    let peak: Proc[] = [];
    let peakMb = 0;
    const timer = setInterval(() => {
      const ps = procs(cloud.rootPid);
      const sum = ps.reduce((s, p) => s + p.rssMb, 0);
      if (sum > peakMb) [peak, peakMb] = [ps, sum];
    }, 100);
    const r = await runLoad({ url, headers }, LOAD_S);
    clearInterval(timer);
    const hwm = procs(cloud.rootPid).find((p) => p.pid === cloud.serverPid)?.hwmMb ?? 0;
    console.log(
      `  under load (${(r.requests / r.seconds).toFixed(0)} req/s, ${r.non2xx + r.errors} non-2xx/errors): peak ${mb(peakMb)} MiB, the cloud's VmHWM ${mb(hwm)} MiB\n    ${show(peak)}`,
    );
    return { load, startS: cloud.startMs / 1000, idleMb, peakMb, rps: r.requests / r.seconds };
  } finally {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  setAffinity(process.pid, LOAD_CPU);
  console.log(
    `npm start process tree, summed VmRSS from /proc; the cloud on CPU ${SERVER_CPU}, ${LOADGEN} on CPU ${LOAD_CPU} at ${CONNECTIONS} connections; ${cpus().length} cores, node ${process.version}`,
  );
  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i++) runs.push(await once(i));
  console.log('\nrun  load avg  start s  idle MiB  peak MiB  req/s');
  for (const [i, r] of runs.entries()) {
    const cols = [r.load.padStart(10), r.startS.toFixed(1).padStart(9), mb(r.idleMb).padStart(10)];
    console.log(
      `${String(i + 1).padStart(3)}${cols.join('')}${mb(r.peakMb).padStart(10)}${r.rps.toFixed(0).padStart(7)}`,
    );
  }
  const idle = Math.max(...runs.map((r) => r.idleMb));
  const peak = Math.max(...runs.map((r) => r.peakMb));
  const checks: [string, boolean][] = [
    [`idle after start, worst run ${mb(idle)} MiB < 150 MiB`, idle < 150],
    [`under load, worst run ${mb(peak)} MiB < 200 MiB`, peak < 200],
  ];
  console.log('\ntargets (issue 17):');
  for (const [text, ok] of checks) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${text}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

await main();
