/**
 * `npm run bench:gateway`: authorized `GET /person` through the local HTTP API (real RS256 verification against
 * a JWKS found by discovery, payload 2.0, a real worker-thread hop into the app's own bundled handler) against a
 * baseline: a bare node:http server that verifies the same token with jose and answers JSON.
 *
 * Each server runs in its own child process (the "local cloud" process: gateway, Lambda runtime and a JWKS issuer),
 * so autocannon's load generation does not share its event loop, and the RSS we report is that process's alone
 * (peak, sampled every 100 ms). Concurrency 10 for 10 s per server, after a 2 s warm-up each, run as alternating
 * 2 s slices so that other work on a shared machine weighs on both alike.
 * Targets (issue 6): >= 0.5x baseline, p99 < 5 ms, RSS < 200 MB.
 * `BENCH_WORKERS=n` sets the Lambda worker count; `BENCH_CPU_PROF=1` writes CPU profiles to .bench-prof/.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';

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
    const { startGateway } = await import('../src/gateway/index.js');
    const { LambdaRuntime } = await import('../src/runtime/index.js');
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
  p99: number;
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

/**
 * Runs the load in alternating slices (baseline, gateway, baseline, ...) so that other work on this shared
 * machine weighs on both servers alike. req/s is over all slices; p50 is the median of the slices' p50, p99 the
 * worst slice's p99.
 */
async function measureBoth(
  servers: Record<Mode, RunningServer>,
): Promise<Record<Mode, Omit<Figures, 'peakRssMb' | 'readyRssMb'>>> {
  const { default: autocannon } = await import('autocannon');
  const modes: Mode[] = ['baseline', 'gateway'];
  for (const m of modes) {
    await autocannon({
      url: servers[m].url,
      connections: CONNECTIONS,
      duration: WARMUP_S,
      headers: servers[m].headers,
    });
  }
  const acc = Object.fromEntries(
    modes.map((m) => [m, { requests: 0, seconds: 0, p50s: [] as number[], p99: 0, non2xx: 0, errors: 0 }]),
  ) as Record<
    Mode,
    { requests: number; seconds: number; p50s: number[]; p99: number; non2xx: number; errors: number }
  >;
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of modes) {
      const r = await autocannon({
        url: servers[m].url,
        connections: CONNECTIONS,
        duration: DURATION_S / ROUNDS,
        headers: servers[m].headers,
      });
      const a = acc[m];
      a.requests += r.requests.total;
      a.seconds += r.duration;
      a.p50s.push(r.latency.p50);
      a.p99 = Math.max(a.p99, r.latency.p99);
      a.non2xx += r.non2xx;
      a.errors += r.errors + r.timeouts;
    }
  }
  const figures = (m: Mode) => {
    const a = acc[m];
    const sorted = [...a.p50s].sort((x, y) => x - y);
    return {
      rps: a.requests / a.seconds,
      p50: sorted[Math.floor(sorted.length / 2)] ?? 0,
      p99: a.p99,
      non2xx: a.non2xx,
      errors: a.errors,
    };
  };
  return { baseline: figures('baseline'), gateway: figures('gateway') };
}

async function main(): Promise<void> {
  // Other work on the machine skews both figures; the load average says how much.
  const loadBefore = loadavg()[0]?.toFixed(2);
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'RS256', use: 'sig' };
  // The app's own handler, bundled the way NodejsFunction would (ESM, one file), outside the measured process.
  const codeDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
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
  const results: Partial<Record<Mode, Figures>> = {};
  const servers: Partial<Record<Mode, RunningServer>> = {};
  try {
    servers.baseline = await startServer('baseline', jwk, privateKey, codeDir);
    servers.gateway = await startServer('gateway', jwk, privateKey, codeDir);
    const load = await measureBoth(servers as Record<Mode, RunningServer>);
    for (const m of ['baseline', 'gateway'] as const) {
      const rss = await (servers[m] as RunningServer).rss();
      results[m] = { ...load[m], peakRssMb: rss.peakMb, readyRssMb: rss.readyMb };
    }
  } finally {
    await Promise.all(Object.values(servers).map((srv) => srv.stop()));
    rmSync(codeDir, { recursive: true, force: true });
  }
  const b = results.baseline as Figures;
  const g = results.gateway as Figures;
  const ratio = g.rps / b.rps;
  const row = (name: string, f: Figures) =>
    `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} ${`${f.p50} ms`.padStart(8)} ${`${f.p99} ms`.padStart(8)} ${f.peakRssMb
      .toFixed(0)
      .padStart(7)} MB ${String(f.non2xx).padStart(6)} ${String(f.errors).padStart(6)}`;
  console.log(
    `\nAuthorized GET /person, ${CONNECTIONS} connections, ${DURATION_S} s per server in ${ROUNDS} alternating slices (after ${WARMUP_S} s warm-up), ${WORKERS} Lambda worker(s)`,
  );
  console.log(
    `load average before/after: ${loadBefore} / ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores\n`,
  );
  console.log(
    `${'server'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'peak RSS'.padStart(10)} ${'non2xx'.padStart(6)} ${'errors'.padStart(6)}`,
  );
  console.log(row('baseline: node:http + jose', b));
  console.log(row('gatehouse gateway + Lambda worker', g));
  console.log(`\nratio gateway/baseline: ${ratio.toFixed(2)}x   (target >= 0.5x)`);
  console.log(`gateway p99: ${g.p99} ms             (target < 5 ms)`);
  console.log(
    `gateway peak RSS: ${g.peakRssMb.toFixed(0)} MB      (target < 200 MB; ${g.readyRssMb.toFixed(0)} MB before load, baseline ${b.readyRssMb.toFixed(0)} MB)`,
  );
  const pass = ratio >= 0.5 && g.p99 < 5 && g.peakRssMb < 200 && g.non2xx === 0 && g.errors === 0;
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
