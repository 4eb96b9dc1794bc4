/**
 * `npm run bench:gateway`: authorized `GET /person` through the local HTTP API (real RS256 verification against
 * a JWKS found by discovery, payload 2.0, a real worker-thread hop into the app's own bundled handler) against the
 * floor: a bare node:http server that verifies the same token with jose and answers JSON.
 *
 * Three targets, each in its own process(es):
 * - the floor (baseline);
 * - the gateway-only process: gateway, Lambda runtime and a small JWKS issuer with a token we sign;
 * - the whole local cloud, started exactly as a developer does (`npm start`, which synthesizes only if its inputs
 *   changed), with a user signed up, confirmed and signed in through the AWS SDK.
 *
 * Pinned (the judged figures): with taskset, this process and its load generator run on core 0 and every server,
 * with all its threads and processes, on core 1; the ratios are per core, against the floor from the same run.
 * Then the same load unpinned (every process free on both cores), printed beside for reference.
 * Concurrency 10 for 10 s per target and mode, after a 2 s warm-up, run as alternating 2 s slices so that other
 * work on a shared machine weighs on all alike. The load comes from wrk when installed, else autocannon.
 * Memory: the summed VmRSS of the `npm start` process tree (npm, its shell and the cloud's node process, read from
 * /proc every 100 ms), idle after start and its peak under load; the cloud's own tree is printed beside it.
 * Targets (issue 17): pinned ratio >= 0.7x the floor, p99 <= 2x the floor's; RSS < 200 MiB under load, < 150 MiB idle.
 * `BENCH_WORKERS=n` sets the Lambda worker count of the gateway-only process; `BENCH_CLOUD_ARGS="--log-level warn"`
 * appends CLI options to the local cloud's command line (experiments only); `BENCH_CPU_PROF=1` writes CPU profiles to
 * .bench-prof/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ALL_CPUS, CAN_PIN, LOAD_CPU, SERVER_CPU, setAffinity } from './lib/affinity.js';
import { type Mode, type Rss, WORKERS } from './lib/gateway-common.js';
import { type RunningServer, startServer } from './lib/gateway-server.js';
import {
  CONNECTIONS,
  DURATION_S,
  LOADGEN,
  type Load,
  type LoadFigures,
  measureAll,
  ROUNDS,
  WARMUP_S,
} from './lib/load.js';
import {
  type BenchCloud,
  sampleTreeRss,
  signInBenchUser,
  startBenchCloud,
  type TreeRss,
  treeRss,
} from './lib/local-cloud.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLOUD_ARGS = (process.env.BENCH_CLOUD_ARGS ?? '').split(' ').filter(Boolean);
type Target = Mode | 'cloud';

/** The whole local cloud, as `npm start` runs it, with a signed-in user's access token. */
async function startCloud(dataDir: string): Promise<{ cloud: BenchCloud; load: Load }> {
  const cloud = await startBenchCloud(dataDir, { extraArgs: CLOUD_ARGS, cpus: SERVER_CPU });
  try {
    const { accessToken, sub } = await signInBenchUser(cloud.endpoints);
    const url = `${cloud.endpoints.apis[0]?.url}/person`;
    const headers = { authorization: `Bearer ${accessToken}` };
    const probe = await fetch(url, { headers });
    const text = await probe.text();
    if (probe.status !== 200 || !text.includes(sub)) {
      throw new Error(`local cloud: GET /person answered ${probe.status}: ${text.slice(0, 200)}`);
    }
    return { cloud, load: { url, headers } };
  } catch (err) {
    await cloud.stop();
    throw err;
  }
}

async function main(): Promise<void> {
  // Other work on the machine skews every figure; the load average says how much.
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  if (!CAN_PIN)
    console.log('taskset is missing (util-linux) or there is one core: the "pinned" figures are not pinned');
  // This process generates the load (autocannon runs in it; wrk inherits its affinity).
  setAffinity(process.pid, LOAD_CPU);
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'RS256', use: 'sig' };
  // The app's own handler, bundled the way NodejsFunction would (ESM, one file), outside the measured process.
  const codeDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const cloudDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cloud-'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(here, '..', 'app', 'functions', 'api.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(codeDir, 'index.mjs'),
    logLevel: 'silent',
  });
  const servers: Partial<Record<Mode, RunningServer>> = {};
  let cloud: BenchCloud | undefined;
  let cloudRss: TreeRss | undefined;
  let idle = { treeMb: 0, cloudMb: 0 };
  let pinned: Record<Target, LoadFigures>;
  let free: Record<Target, LoadFigures>;
  const childRss: Partial<Record<Mode, Rss>> = {};
  try {
    // Start-up of the cloud first, alone, so its start-up does not weigh on the others' readiness.
    const started = await startCloud(cloudDir);
    cloud = started.cloud;
    // Idle after start: the tree settled for a second after the sign-in, before any load.
    await delay(1000);
    idle = treeRss(cloud.rootPid, cloud.serverPid);
    servers.baseline = await startServer('baseline', jwk, privateKey, codeDir, SERVER_CPU);
    servers.gateway = await startServer('gateway', jwk, privateKey, codeDir, SERVER_CPU);
    const targets = { baseline: servers.baseline, gateway: servers.gateway, cloud: started.load };
    const sampler = sampleTreeRss(cloud.rootPid, cloud.serverPid);
    pinned = await measureAll(targets);
    cloudRss = sampler.stop();
    // The same again with every process free on every core.
    for (const pid of [process.pid, servers.baseline.pid, servers.gateway.pid, cloud.rootPid]) {
      setAffinity(pid, ALL_CPUS);
    }
    free = await measureAll(targets);
    for (const m of ['baseline', 'gateway'] as const) childRss[m] = await (servers[m] as RunningServer).rss();
  } finally {
    await Promise.all([...Object.values(servers).map((srv) => srv.stop()), cloud?.stop()]);
    rmSync(codeDir, { recursive: true, force: true });
    rmSync(cloudDir, { recursive: true, force: true });
  }
  const rss = cloudRss as TreeRss;
  const col = (v: string, w: number) => v.padStart(w);
  const ms = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const peak = (t: Target) =>
    t === 'cloud' ? rss.treePeakMb : ((childRss[t as Mode] as Rss | undefined)?.peakMb ?? 0);
  const row = (name: string, t: Target) => {
    const p = pinned[t];
    const f = free[t];
    return `${name.padEnd(34)}${col(p.rps.toFixed(0), 7)}${col(`${ms(p.p50)} ms`, 9)}${col(`${ms(p.p99)} ms`, 10)}${col(`${(p.rps / pinned.baseline.rps).toFixed(2)}x`, 7)}${col(String(p.non2xx + p.errors), 5)}  |${col(f.rps.toFixed(0), 7)}${col(`${ms(f.p99)} ms`, 10)}${col(`${(f.rps / free.baseline.rps).toFixed(2)}x`, 7)}${col(`${peak(t).toFixed(0)} MiB`, 10)}`;
  };
  console.log(
    `\nAuthorized GET /person, load by ${LOADGEN}, ${CONNECTIONS} connections, ${DURATION_S} s per target and mode in ${ROUNDS} alternating slices (after ${WARMUP_S} s warm-up); ${WORKERS} Lambda worker(s) in the gateway-only process, the CLI's default in the local cloud`,
  );
  console.log(
    `pinned: load generator on CPU ${LOAD_CPU}, each server with all its threads on CPU ${SERVER_CPU}${CAN_PIN ? '' : ' (NOT PINNED: no taskset)'}; unpinned: all free on CPUs ${ALL_CPUS}`,
  );
  console.log(
    `load average (1, 5, 15 min) before: ${loadBefore}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${availableParallelism()} cores (other work on the machine skews every figure)\n`,
  );
  console.log(
    `${''.padEnd(34)}${col('--- pinned, one core each (judged) ---', 40)}  |${col('---- unpinned, for reference ----', 34)}`,
  );
  console.log(
    `${'target'.padEnd(34)}${col('req/s', 7)}${col('p50', 9)}${col('p99', 10)}${col('ratio', 7)}${col('err', 5)}  |${col('req/s', 7)}${col('p99', 10)}${col('ratio', 7)}${col('peak RSS', 10)}`,
  );
  console.log(row('floor: node:http + jose', 'baseline'));
  console.log(row('gateway-only process (+worker)', 'gateway'));
  console.log(row(`local cloud (npm start)${CLOUD_ARGS.length ? ' *' : ''}`, 'cloud'));
  if (CLOUD_ARGS.length) console.log(`* local cloud started with BENCH_CLOUD_ARGS: ${CLOUD_ARGS.join(' ')}`);
  console.log(
    `\nnpm start process tree (npm + sh + the cloud's node process and anything it starts), summed VmRSS from /proc:`,
  );
  console.log(
    `  idle after start ${idle.treeMb.toFixed(0)} MiB (the cloud's own ${idle.cloudMb.toFixed(0)} MiB); peak under the pinned load ${rss.treePeakMb.toFixed(0)} MiB (the cloud's own ${rss.cloudPeakMb.toFixed(0)} MiB, its VmHWM ${rss.serverHwmMb.toFixed(0)} MiB)`,
  );
  console.log(
    `  at the peak: ${rss.treeAtPeak.map((p) => `${p.name}[${p.pid}] ${p.mb.toFixed(0)}`).join(' + ')}`,
  );
  const c = pinned.cloud;
  const b = pinned.baseline;
  const checks: [string, boolean][] = [
    [`local cloud per core ${(c.rps / b.rps).toFixed(2)}x the floor >= 0.7x`, c.rps / b.rps >= 0.7],
    [`local cloud p99 ${ms(c.p99)} ms <= 2x the floor's (${ms(b.p99)} ms)`, c.p99 <= 2 * b.p99],
    [`npm start tree ${rss.treePeakMb.toFixed(0)} MiB under load < 200 MiB`, rss.treePeakMb < 200],
    [`npm start tree ${idle.treeMb.toFixed(0)} MiB idle after start < 150 MiB`, idle.treeMb < 150],
    [
      `no non-2xx, no errors (${c.non2xx + pinned.gateway.non2xx}, ${c.errors + pinned.gateway.errors})`,
      c.non2xx + c.errors + pinned.gateway.non2xx + pinned.gateway.errors === 0,
    ],
  ];
  console.log('\ntargets (issue 17):');
  for (const [text, ok] of checks) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${text}`);
  const pass = checks.every(([, ok]) => ok);
  console.log(pass ? '\nall targets met' : '\nTARGETS MISSED');
  process.exitCode = pass ? 0 : 1;
}

await main();
