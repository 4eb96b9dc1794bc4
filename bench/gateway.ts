/**
 * `npm run bench:gateway`: authorized `GET /person` through the local HTTP API (real RS256 verification against
 * a JWKS found by discovery, payload 2.0, a real worker-thread hop into the app's own bundled handler) against a
 * baseline: a bare node:http server that verifies the same token with jose and answers JSON.
 *
 * Three targets, each in its own process(es) so autocannon's load generation does not share their event loop:
 * - the baseline;
 * - the gateway-only process: gateway, Lambda runtime and a small JWKS issuer with a token we sign; RSS is that
 *   process's own (peak, sampled in-process every 100 ms);
 * - the whole local cloud, started exactly as `npm start` runs it (tsx src/cli.ts start: synth, IdP, Hosted UI,
 *   gateway, Lambda workers, access logs written to a file), with a user signed up, confirmed and signed in through
 *   the AWS SDK. tsx's cli.mjs is a wrapper that spawns the node process running every server; its VmRSS (peak,
 *   read from /proc every 100 ms, and VmHWM) is judged, and the whole process tree's sum is judged as well.
 * Concurrency 10 for 10 s per target, after a 2 s warm-up each, run as alternating 2 s slices so that other work on
 * a shared machine weighs on all alike. The load comes from wrk when it is installed (Debian's `wrk`), else from
 * autocannon (`BENCH_LOADGEN=autocannon` forces it); the report names which.
 * Targets (issue 6): >= 0.5x baseline, p99 < 5 ms, RSS < 200 MB.
 * `BENCH_WORKERS=n` sets the Lambda worker count of the gateway-only process; `BENCH_CLOUD_ARGS="--log-level warn"`
 * appends CLI options to the local cloud's command line (experiments only: the default is `npm start`'s own);
 * `BENCH_CPU_PROF=1` writes CPU profiles to .bench-prof/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { type Mode, type Rss, WORKERS } from './lib/gateway-common.js';
import { type RunningServer, startServer } from './lib/gateway-server.js';
import {
  CONNECTIONS,
  DURATION_S,
  type Figures,
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
} from './lib/local-cloud.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLOUD_ARGS = (process.env.BENCH_CLOUD_ARGS ?? '').split(' ').filter(Boolean);
type Target = Mode | 'cloud';

/** The whole local cloud, as `npm start` runs it, with a signed-in user's access token. */
async function startCloud(dataDir: string): Promise<{ cloud: BenchCloud; load: Load }> {
  const cloud = await startBenchCloud(dataDir, CLOUD_ARGS);
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
  const loadBefore = loadavg()[0]?.toFixed(2);
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
  let load: Record<Target, LoadFigures>;
  const childRss: Partial<Record<Mode, Rss>> = {};
  try {
    // Synth and start-up of the cloud first, alone, so its start-up does not weigh on the others' readiness.
    const started = await startCloud(cloudDir);
    cloud = started.cloud;
    servers.baseline = await startServer('baseline', jwk, privateKey, codeDir);
    servers.gateway = await startServer('gateway', jwk, privateKey, codeDir);
    const sampler = sampleTreeRss(cloud.wrapperPid, cloud.serverPid);
    load = await measureAll({ baseline: servers.baseline, gateway: servers.gateway, cloud: started.load });
    cloudRss = sampler.stop();
    for (const m of ['baseline', 'gateway'] as const) childRss[m] = await (servers[m] as RunningServer).rss();
  } finally {
    await Promise.all([...Object.values(servers).map((srv) => srv.stop()), cloud?.stop()]);
    rmSync(codeDir, { recursive: true, force: true });
    rmSync(cloudDir, { recursive: true, force: true });
  }
  const b: Figures = {
    ...load.baseline,
    peakRssMb: childRss.baseline?.peakMb ?? 0,
    readyRssMb: childRss.baseline?.readyMb ?? 0,
  };
  const g: Figures = {
    ...load.gateway,
    peakRssMb: childRss.gateway?.peakMb ?? 0,
    readyRssMb: childRss.gateway?.readyMb ?? 0,
  };
  const c = load.cloud;
  const rss = cloudRss as TreeRss;
  const col = (v: string, w: number) => v.padStart(w);
  const ms = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const row = (name: string, f: LoadFigures, rssMb: number) =>
    `${name.padEnd(36)}${col(f.rps.toFixed(0), 8)}${col(`${ms(f.p50)} ms`, 9)}${col(`${ms(f.p99)} ms`, 10)}${col(`${ms(f.p99Median)} ms`, 10)}${col(`${rssMb.toFixed(0)} MB`, 10)}${col(`${(f.rps / b.rps).toFixed(2)}x`, 7)}${col(String(f.non2xx), 7)}${col(String(f.errors), 7)}`;
  console.log(
    `\nAuthorized GET /person, load by ${LOADGEN}, ${CONNECTIONS} connections, ${DURATION_S} s per target in ${ROUNDS} alternating slices (after ${WARMUP_S} s warm-up), ${WORKERS} Lambda worker(s) in the gateway-only process, the CLI's default in the local cloud`,
  );
  console.log(
    `load average before/after: ${loadBefore} / ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores (other work on the machine skews every figure)\n`,
  );
  console.log(
    `${'target'.padEnd(36)}${col('req/s', 8)}${col('p50', 9)}${col('p99', 10)}${col('p99 med', 10)}${col('peak RSS', 10)}${col('ratio', 7)}${col('non2xx', 7)}${col('errors', 7)}`,
  );
  console.log(row('baseline: node:http + jose', b, b.peakRssMb));
  console.log(row('gateway-only process (+worker, JWKS)', g, g.peakRssMb));
  console.log(row(`whole local cloud (npm start)${CLOUD_ARGS.length ? ' *' : ''}`, c, rss.serverPeakMb));
  if (CLOUD_ARGS.length)
    console.log(`* local cloud started with extra options (BENCH_CLOUD_ARGS): ${CLOUD_ARGS.join(' ')}`);
  console.log(
    `\nlocal cloud memory: server process (pid ${cloud?.serverPid}, runs IdP, Hosted UI, gateway, Lambda workers) ${rss.serverStartMb.toFixed(0)} MB before load, peak VmRSS ${rss.serverPeakMb.toFixed(0)} MB, VmHWM ${rss.serverHwmMb.toFixed(0)} MB;`,
  );
  console.log(
    `  whole process tree peak ${rss.treePeakMb.toFixed(0)} MB = ${rss.treeAtPeak.map((p) => `${p.name}[${p.pid}] ${p.mb.toFixed(0)}`).join(' + ')} (the tsx wrapper is what npm start adds; npm itself not counted)`,
  );
  console.log(
    `  gateway-only process: ${g.readyRssMb.toFixed(0)} MB before load; baseline ${b.readyRssMb.toFixed(0)} MB before load`,
  );
  const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  const checks: [string, boolean][] = [];
  for (const [name, f, rssMb] of [
    ['gateway-only', g, g.peakRssMb],
    ['local cloud ', c, rss.serverPeakMb],
  ] as const) {
    checks.push(
      [`${name} req/s ratio ${(f.rps / b.rps).toFixed(2)}x >= 0.5x`, f.rps / b.rps >= 0.5],
      [`${name} p99 ${ms(f.p99)} ms < 5 ms`, f.p99 < 5],
      [
        `${name} peak RSS ${rssMb.toFixed(0)} MB < 200 MB${name === 'gateway-only' ? '' : ' (server process)'}`,
        rssMb < 200,
      ],
      [`${name} no non-2xx, no errors (${f.non2xx}, ${f.errors})`, f.non2xx === 0 && f.errors === 0],
    );
  }
  checks.push([
    `local cloud  peak RSS ${rss.treePeakMb.toFixed(0)} MB < 200 MB (whole process tree)`,
    rss.treePeakMb < 200,
  ]);
  console.log('\ntargets (issue 6):');
  for (const [text, ok] of checks) console.log(`  ${verdict(ok)}  ${text}`);
  const pass = checks.every(([, ok]) => ok);
  console.log(pass ? '\nall targets met' : '\nTARGETS MISSED');
  process.exitCode = pass ? 0 : 1;
}

await main();
