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
import { execFile, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import {
  type BenchCloud,
  sampleTreeRss,
  signInBenchUser,
  startBenchCloud,
  type TreeRss,
} from './lib/local-cloud.js';

const CLIENT_ID = 'benchclient0000000000000000';
const CONNECTIONS = 10;
const DURATION_S = 10;
const WARMUP_S = 2;
/** The 10 s per server are run as this many alternating slices. */
const ROUNDS = 5;
/**
 * Lambda execution environments (worker threads) for the function: one per core, the setting we recommend for
 * `npm start` (more workers than cores add memory, ~15 MB each, and no throughput). `BENCH_WORKERS` overrides.
 */
const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism());
const here = dirname(fileURLToPath(import.meta.url));
const CLOUD_ARGS = (process.env.BENCH_CLOUD_ARGS ?? '').split(' ').filter(Boolean);

type Mode = 'baseline' | 'gateway';
interface Ready {
  t: 'ready';
  url: string;
}
interface Rss {
  t: 'rss';
  peakMb: number;
  nowMb: number;
  readyMb: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Child: one server process.
// ---------------------------------------------------------------------------------------------------------------

async function child(mode: Mode, jwk: JWK, issuerPort: number, codeDir: string): Promise<void> {
  let peak = 0;
  let peakDetail = '';
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      if (process.env.BENCH_MEM_DETAIL) {
        const mb = (n: number) => (n / 2 ** 20).toFixed(0);
        peakDetail = `rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}`;
      }
    }
  };
  process.on('exit', () => {
    if (peakDetail) console.error(`${mode} peak: ${peakDetail}`);
  });
  const sampler = setInterval(sample, 100);
  sampler.unref();

  // The issuer: discovery + JWKS over node:http, as the local IdP serves them.
  const issuer = `http://127.0.0.1:${issuerPort}/us-east-1_bench`;
  const idp = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/us-east-1_bench/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }));
    } else if (req.url === '/us-east-1_bench/.well-known/jwks.json') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => idp.listen(issuerPort, '127.0.0.1', r));

  let url: string;
  let close: () => Promise<void>;
  if (mode === 'baseline') {
    const jwks = createLocalJWKSet({ keys: [jwk] });
    const server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : auth;
      jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] }).then(
        ({ payload }) => {
          if (payload.client_id !== CLIENT_ID) throw new Error('audience');
          const body = JSON.stringify({ message: '[GET METHOD]Hello,world', sub: payload.sub });
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
        () => {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{"message":"Unauthorized"}');
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/person`;
    close = () => new Promise((r) => server.close(() => r()));
  } else {
    const { startGateway } = await import('../src/services/apigateway/index.js');
    const { LambdaRuntime } = await import('../src/services/lambda/index.js');
    const { systemClock } = await import('../src/shared/clock.js');
    const quiet = { info() {}, warn() {}, error() {} };
    const runtime = new LambdaRuntime({
      functions: [
        {
          logicalId: 'ApiFunction',
          name: 'gatehouse-api',
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-api',
          handler: 'index.handler',
          runtime: 'nodejs20.x',
          codeDir,
          timeout: 3,
          memorySize: 128,
          environment: {},
        },
      ],
      log: quiet,
      region: 'us-east-1',
      accountId: '000000000000',
      maxConcurrency: WORKERS,
      // Function logs (START/END/REPORT per invocation) are dropped: the figure is the gateway + worker hop.
      consoleSink: () => {},
    });
    const route = (routeKey: string) => ({
      logicalId: routeKey.replace(/\W+/g, ''),
      routeKey,
      authorizationType: 'JWT',
      authorizerLogicalId: 'Authorizer',
      authorizationScopes: [],
      integrationLogicalId: 'Integration',
    });
    const gw = await startGateway({
      apis: [
        {
          logicalId: 'HttpApi',
          id: 'benchapi01',
          name: 'serverless_lambda_gw',
          cors: undefined,
          stages: [
            {
              logicalId: 'Stage',
              name: 'serverless_lambda_stage',
              autoDeploy: true,
              accessLogFormat: undefined,
              throttling: undefined,
              routeThrottling: {},
              stageVariables: {},
            },
          ],
          routes: ['GET /person', 'POST /person', 'PUT /person', 'DELETE /person'].map(route),
          authorizers: [
            {
              logicalId: 'Authorizer',
              name: 'Authorizer',
              type: 'JWT',
              identitySource: ['$request.header.Authorization'],
              issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
              audience: [CLIENT_ID],
            },
          ],
          integrations: [
            {
              logicalId: 'Integration',
              type: 'AWS_PROXY',
              functionName: 'gatehouse-api',
              payloadFormatVersion: '2.0',
              timeoutMs: 30_000,
            },
          ],
        },
      ],
      invoker: runtime,
      clock: systemClock,
      log: quiet,
      region: 'us-east-1',
      accountId: '000000000000',
      // The lead's mapping: the template's Cognito issuer is the local pool's issuer.
      resolveIssuer: () => ({ issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` }),
    });
    url = `${gw.apis[0]?.url}/person`;
    close = async () => {
      await gw.close();
      await runtime.close();
    };
  }

  sample();
  const readyMb = process.memoryUsage().rss / 2 ** 20;
  process.send?.({ t: 'ready', url } satisfies Ready);
  process.on('message', async (m: { t: string }) => {
    sample();
    if (m.t === 'rss')
      process.send?.({
        t: 'rss',
        peakMb: peak / 2 ** 20,
        nowMb: process.memoryUsage().rss / 2 ** 20,
        readyMb,
      } satisfies Rss);
    if (m.t === 'stop') {
      // Never outlive the parent, even if a close hangs.
      setTimeout(() => process.exit(0), 3000).unref();
      await close();
      idp.close();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: load generation and the report.
// ---------------------------------------------------------------------------------------------------------------

interface Figures {
  rps: number;
  p50: number;
  /** The worst slice's p99 (the judged figure). */
  p99: number;
  /** The median slice's p99, printed beside it: one hiccup of the machine moves the worst slice alone. */
  p99Median: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  /** RSS once the server is up, before any load. */
  readyRssMb: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface RunningServer {
  url: string;
  headers: Record<string, string>;
  rss(): Promise<Rss>;
  stop(): Promise<void>;
}

/** Starts one server process (baseline or gateway) with its own issuer, and a token for that issuer. */
async function startServer(
  mode: Mode,
  jwk: JWK,
  privateKey: PrivateKey,
  codeDir: string,
): Promise<RunningServer> {
  const issuerPort = await freePort();
  // The same claims the local pool puts in an access token, for the issuer this child will serve.
  const token = await new SignJWT({
    sub: 'bench-user',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'openid',
    username: 'bench',
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key' })
    .setIssuer(`http://127.0.0.1:${issuerPort}/us-east-1_bench`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const proc = fork(
    fileURLToPath(import.meta.url),
    ['--child', mode, JSON.stringify(jwk), String(issuerPort), codeDir],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        ...process.execArgv,
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=.bench-prof'] : []),
      ],
    },
  );
  // Whatever happens, the server process does not outlive the benchmark.
  const killer = () => proc.kill();
  process.once('exit', killer);
  const next = <T>(t: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { t: string }) => {
        if (m.t === t) {
          proc.off('message', onMessage);
          proc.off('exit', onExit);
          resolve(m as T);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`${mode} server exited with ${code}`));
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  const { url } = await next<Ready>('ready');
  const headers = { authorization: `Bearer ${token}` };
  const probe = await fetch(url, { headers });
  if (probe.status !== 200) {
    proc.kill();
    throw new Error(`${mode}: GET /person answered ${probe.status}: ${await probe.text()}`);
  }
  return {
    url,
    headers,
    rss() {
      const reply = next<Rss>('rss');
      proc.send({ t: 'rss' });
      return reply;
    },
    async stop() {
      process.off('exit', killer);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.send({ t: 'stop' });
      await exited;
    },
  };
}

interface Slice {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/**
 * The load generator: wrk (C, one thread) when it is on the PATH, else autocannon. On two cores the load generator
 * takes CPU from the server it measures; autocannon, a JavaScript event loop, takes about a core at these rates and
 * its own pauses land in the latency tail. `BENCH_LOADGEN=autocannon` forces autocannon.
 */
const LOADGEN: 'wrk' | 'autocannon' =
  process.env.BENCH_LOADGEN === 'autocannon' ||
  spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error !== undefined
    ? 'autocannon'
    : 'wrk';

async function runLoad(load: Load, seconds: number): Promise<Slice> {
  if (LOADGEN === 'wrk') return runWrk(load, seconds);
  const { default: autocannon } = await import('autocannon');
  const r = await autocannon({
    url: load.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: load.headers,
  });
  return {
    requests: r.requests.total,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** One wrk run, its report parsed: `N requests in Ts`, the latency distribution, non-2xx and socket errors. */
function runWrk(load: Load, seconds: number): Promise<Slice> {
  const headerArgs = Object.entries(load.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...headerArgs, load.url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, (err, out) => {
      if (err) return reject(err);
      const ms = (pct: string) => {
        const m = out.match(new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)$`, 'm'));
        if (!m) throw new Error(`wrk: no ${pct}% latency in:\n${out}`);
        return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[m[2] as 'us' | 'ms' | 's'];
      };
      const total = out.match(/(\d+) requests in ([\d.]+)(ms|s)/);
      if (!total) return reject(new Error(`wrk: no request count in:\n${out}`));
      const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
      resolve({
        requests: Number(total[1]),
        seconds: Number(total[2]) / (total[3] === 'ms' ? 1000 : 1),
        p50: ms('50'),
        p99: ms('99'),
        non2xx: Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
        errors: socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
      });
    });
  });
}

/** One measured target: where to send the authorized `GET /person`. */
type Target = Mode | 'cloud';
interface Load {
  url: string;
  headers: Record<string, string>;
}
type LoadFigures = Omit<Figures, 'peakRssMb' | 'readyRssMb'>;

/**
 * Runs the load in alternating slices (baseline, gateway, cloud, baseline, ...) so that other work on this shared
 * machine weighs on every target alike. req/s is over all slices; p50 is the median of the slices' p50, p99 the
 * worst slice's p99 (judged), printed with the median slice's p99.
 */
async function measureAll(targets: Record<Target, Load>): Promise<Record<Target, LoadFigures>> {
  const names = Object.keys(targets) as Target[];
  for (const t of names) await runLoad(targets[t], WARMUP_S);
  const acc = Object.fromEntries(
    names.map((t) => [
      t,
      { requests: 0, seconds: 0, p50s: [] as number[], p99s: [] as number[], non2xx: 0, errors: 0 },
    ]),
  ) as Record<
    Target,
    { requests: number; seconds: number; p50s: number[]; p99s: number[]; non2xx: number; errors: number }
  >;
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of names) {
      const r = await runLoad(targets[t], DURATION_S / ROUNDS);
      const a = acc[t];
      a.requests += r.requests;
      a.seconds += r.seconds;
      a.p50s.push(r.p50);
      a.p99s.push(r.p99);
      a.non2xx += r.non2xx;
      a.errors += r.errors;
    }
  }
  const figures = (t: Target): LoadFigures => {
    const a = acc[t];
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    return {
      rps: a.requests / a.seconds,
      p50: median(a.p50s),
      p99: Math.max(...a.p99s),
      p99Median: median(a.p99s),
      non2xx: a.non2xx,
      errors: a.errors,
    };
  };
  return Object.fromEntries(names.map((t) => [t, figures(t)])) as Record<Target, LoadFigures>;
}

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

if (process.argv[2] === '--child') {
  await child(
    process.argv[3] as Mode,
    JSON.parse(process.argv[4] as string) as JWK,
    Number(process.argv[5]),
    process.argv[6] as string,
  );
} else {
  await main();
}
