/**
 * `npm run bench:idp`: the local user pool under load, against signing-only floors, per core.
 *
 * - InitiateAuth USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH through the real JSON API (SECRET_HASH, verifier check,
 *   lockout bookkeeping, groups, a stored sign-in event and refresh token, two RS256 signatures and the refresh
 *   token's encryption), at concurrency 10. Pinned: three interleaved rounds of 5 s per row (medians); unpinned: 10 s
 *   per row after a 2 s warm-up.
 * - Three floors, bare node:http servers that only do the crypto: sign-in's crypto done with jose (id + access token
 *   signed RS256, the refresh token encrypted), and the issue's floor, three RS256 signatures, once with jose and once
 *   with node:crypto and KeyObjects (the way the pool signs). The ratio is judged against the faster of the two
 *   three-signature floors; the jose sign-in-crypto floor is printed for reference.
 * - The sign-in rows use the pool's default, which remembers a user's last correct password check in memory (see
 *   src/services/cognito-idp/service/verifiedPasswords.ts): ten users sign in again and again, so after the first
 *   round no check recomputes the SRP verifier. A third IdP without that memory shows the cost of a first sign-in
 *   (the 3072-bit modexp each time); it is printed for reference.
 * - Pinned (judged): this process and autocannon on core 0, each server (every thread of it) on core 1, with taskset;
 *   then the same loads unpinned, printed beside for reference. Beside each pinned figure: the server's CPU time per
 *   request (every thread, from /proc) and the cheaper three-signature floor's over it, a ratio the machine's other
 *   load moves less than req/s (on a busy core the scheduler gives more to a server with more threads).
 * - SignUp of 1,000 users over HTTP (concurrency 10): wall time, warm (after 1,000 into another pool), unpinned.
 * - Sign-in at 1,000 users vs a large pool (`--users N`, default 100,000; `npm run bench:idp -- --users 1000000`):
 *   the extra users are bulk-inserted straight into the store in one transaction, all with ONE precomputed
 *   verifier (computing a million verifiers would only slow the seeding; the lookup path does not care); the
 *   seeding time is printed. The two pools live in two fresh IdP processes, so they differ only in pool size.
 * Targets (issue 17): sign-in >= 0.6x the floor per core; <= 20% slower from 1,000 users to the large pool.
 * First of all it prints the SRP cost per operation on this Node (./srp.ts); `npm run bench:idp -- --srp` stops there.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ALL_CPUS, CAN_PIN, LOAD_CPU, onCpus, SERVER_CPU, setAffinity } from './lib/affinity.js';
import { benchSrp } from './srp.js';

const CONNECTIONS = 10;
const DURATION_S = 10;
const WARMUP_S = 2;
/**
 * The pinned loads run in rounds, every row once per round, 5 s each (after its first warm-up): each row's figure is
 * its median. Other work on the machine comes and goes within a minute; interleaving keeps a busy spell from landing
 * on the floor or on the pool alone.
 */
const ROUNDS = 3;
const ROUND_S = 5;
const PASSWORD = 'Bench-Passw0rd!';
const TARGET = 'AWSCognitoIdentityProviderService.';

type Msg = { t: string; [k: string]: unknown };

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------

function spawnChild(mode: 'idp' | 'signin' | 'rs256x3' | 'rs256x3-node') {
  // Through taskset, so every thread the server ever starts runs on the server's core from the first.
  const [cmd, args] = onCpus(SERVER_CPU, process.execPath, [
    ...process.execArgv,
    // BENCH_CPU_PROF=1: each IdP process writes a CPU profile to .bench-prof/ when it stops.
    ...(process.env.BENCH_CPU_PROF && mode.startsWith('idp')
      ? ['--cpu-prof', '--cpu-prof-dir=.bench-prof']
      : []),
    fileURLToPath(new URL('./lib/idp-child.ts', import.meta.url)),
    mode,
  ]);
  const proc = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends Msg>(t: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Msg) => {
        if (m.t === t) {
          proc.off('message', onMessage);
          resolve(m as T);
        }
      };
      proc.on('message', onMessage);
      proc.once('exit', (code) => reject(new Error(`${mode} child exited with ${code}`)));
    });
  return { proc, next };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

/**
 * One JSON API call on a keep-alive node:http agent. fetch (undici) costs the load generator several times more CPU
 * per call, and on two cores that CPU is taken from the server being measured (the timed sign-ups go through here).
 */
function api<T = unknown>(url: string, op: string, body: unknown): Promise<T> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': TARGET + op,
      'content-length': Buffer.byteLength(data),
    };
    const req = request(`${url}/`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode === 200) resolve(JSON.parse(text) as T);
        else reject(new Error(`${op}: ${text}`));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as we reused it (after the seeding held its event loop, its idle
      // timers all fire at once): send again on a new one, as node's docs advise.
      if (req.reusedSocket && err.code === 'ECONNRESET') api<T>(url, op, body).then(resolve, reject);
      else reject(err);
    });
    req.end(data);
  });
}

interface BenchClient {
  poolId: string;
  ClientId: string;
  ClientSecret: string;
}

/** A pool (email auto-verified) and a client with a secret, through the API. */
async function createPoolAndClient(
  url: string,
  name: string,
  explicitAuthFlows?: string[],
): Promise<BenchClient> {
  const pool = await api<{ UserPool: { Id: string } }>(url, 'CreateUserPool', {
    PoolName: name,
    AutoVerifiedAttributes: ['email'],
  });
  const client = await api<{ UserPoolClient: { ClientId: string; ClientSecret: string } }>(
    url,
    'CreateUserPoolClient',
    {
      UserPoolId: pool.UserPool.Id,
      ClientName: name,
      GenerateSecret: true,
      ...(explicitAuthFlows ? { ExplicitAuthFlows: explicitAuthFlows } : {}),
    },
  );
  return { poolId: pool.UserPool.Id, ...client.UserPoolClient };
}

/** Cognito's SECRET_HASH of `username` for `client`. */
const secretHash = (client: BenchClient, username: string) =>
  createHmac('sha256', client.ClientSecret)
    .update(username + client.ClientId)
    .digest('base64');

interface Figures {
  rps: number;
  /** CPU time of the server process, every thread, per request answered (µs). */
  cpuUs: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * `body`, or one body per connection (each connection its own user: Cognito's lockout counts concurrent attempts on
 * one user up front and refuses those beyond the free ones, so ten connections on one user measure the lockout).
 */
/** CPU time (user + system, ms) of every thread of `pid` so far, from /proc; 0 where /proc is missing. */
function cpuMsOf(pid: number): number {
  let ms = 0;
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ms += (Number(f[11]) + Number(f[12])) * tick;
      } catch {
        // a thread that ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ms;
}

async function load(
  url: string,
  op: string,
  body: unknown,
  pid: number,
  duration = DURATION_S,
  warmUp = WARMUP_S,
): Promise<Figures> {
  const { default: autocannon } = await import('autocannon');
  const bodies = (Array.isArray(body) ? body : [body]).map((b) => JSON.stringify(b));
  let nextClient = 0;
  const opts = {
    url: `${url}/`,
    method: 'POST' as const,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + op },
    body: bodies[0],
    setupClient: (client: { setBody(b: string): void }) => {
      client.setBody(bodies[nextClient++ % bodies.length] as string);
    },
  };
  if (warmUp > 0) await autocannon({ ...opts, duration: warmUp });
  const cpu0 = cpuMsOf(pid);
  const r = await autocannon({ ...opts, duration });
  const cpuUs = ((cpuMsOf(pid) - cpu0) * 1000) / Math.max(1, r.requests.total);
  return {
    rps: r.requests.average,
    cpuUs,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

interface Target {
  url: string;
  signIn: unknown;
  refresh: unknown;
  stop(): void;
}

/**
 * A fresh IdP process with one pool and client. `signUps` users are signed up over HTTP (timed), `seed` more are
 * bulk-inserted; `bench0` is confirmed and signed in once for its refresh token.
 */
async function prepareIdp(
  signUps: number,
  seed: number,
): Promise<Target & { signUpMs: number; coldSignUpMs: number; users: number; seedMs: number; pid: number }> {
  const idp = spawnChild('idp');
  const { url } = await idp.next<Msg & { url: string }>('ready');
  const pid = idp.proc.pid as number;
  // Set-up runs on every core; the measured loads run pinned.
  setAffinity(pid, ALL_CPUS);
  const client = await createPoolAndClient(url, 'bench', [
    'ALLOW_USER_PASSWORD_AUTH',
    'ALLOW_REFRESH_TOKEN_AUTH',
  ]);
  const { poolId, ClientId: clientId } = client;
  // Sign-ups over HTTP, 10 at a time: first `signUps` into a warm-up pool of their own (the process is fresh, so
  // these are timed as the cold figure), then `signUps` into the measured pool (the warm figure).
  const warmClient = await createPoolAndClient(url, 'bench-warm-up');
  const coldSignUpMs = await timeSignUps(url, warmClient, signUps);
  const signUpMs = await timeSignUps(url, client, signUps);
  idp.proc.send({ t: 'seed', poolId, n: seed });
  const { count, ms: seedMs = 0 } = await idp.next<Msg & { count: number; ms?: number }>('seeded');
  setAffinity(pid, SERVER_CPU);

  // One confirmed user per connection.
  const signIns = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const username = `bench${i}`;
    await api(url, 'AdminConfirmSignUp', { UserPoolId: poolId, Username: username });
    signIns.push({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: secretHash(client, username) },
    });
  }
  const signIn = signIns;
  const first = await api<{ AuthenticationResult: { RefreshToken: string } }>(
    url,
    'InitiateAuth',
    signIns[0],
  );
  const refresh = {
    ClientId: clientId,
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: {
      REFRESH_TOKEN: first.AuthenticationResult.RefreshToken,
      SECRET_HASH: secretHash(client, 'bench0'),
    },
  };
  return {
    url,
    signIn,
    refresh,
    signUpMs,
    coldSignUpMs,
    users: count,
    seedMs,
    pid,
    stop: () => idp.proc.send({ t: 'stop' }),
  };
}

/** Wall time of `n` sign-ups through one client, 10 at a time. */
async function timeSignUps(url: string, client: BenchClient, n: number): Promise<number> {
  const t0 = performance.now();
  let nextUser = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = nextUser++; i < n; i = nextUser++) {
        const username = `bench${i}`;
        await api(url, 'SignUp', {
          ClientId: client.ClientId,
          Username: username,
          Password: PASSWORD,
          SecretHash: secretHash(client, username),
          UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
        });
      }
    }),
  );
  return performance.now() - t0;
}

/** `--users N`: the size of the large pool (default 100,000). */
function largePool(): number {
  const i = process.argv.findIndex((a) => a === '--users' || a.startsWith('--users='));
  const v =
    i < 0 ? undefined : process.argv[i]?.includes('=') ? process.argv[i]?.split('=')[1] : process.argv[i + 1];
  const n = v === undefined ? 100_000 : Number(v);
  if (!Number.isInteger(n) || n < 1000) throw new Error('--users takes a whole number of at least 1000');
  return n;
}

async function main(): Promise<void> {
  const users = largePool();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(
    `bench:idp: concurrency ${CONNECTIONS}, pinned: ${ROUNDS} interleaved rounds of ${ROUND_S} s per row (medians), unpinned: ${DURATION_S} s per row after ${WARMUP_S} s warm-up, node ${process.version}, ` +
      `${availableParallelism()} cores, load average ${loadBefore} (other work on the machine skews every figure)`,
  );
  await benchSrp();
  if (process.argv.includes('--srp')) return;
  if (!CAN_PIN)
    console.log('taskset is missing (util-linux) or there is one core: the "pinned" figures are not pinned');
  // Two fresh instances, so the only difference between them is the pool size (not the age of their token tables).
  const small = await prepareIdp(1000, 0);
  const large = await prepareIdp(1000, users - 1000);
  const floors = {
    signin: spawnChild('signin'),
    rs256x3: spawnChild('rs256x3'),
    rs256x3node: spawnChild('rs256x3-node'),
  };
  const floorUrl = {
    signin: (await floors.signin.next<Msg & { url: string }>('ready')).url,
    rs256x3: (await floors.rs256x3.next<Msg & { url: string }>('ready')).url,
    rs256x3node: (await floors.rs256x3node.next<Msg & { url: string }>('ready')).url,
  };
  const pids = [small.pid, large.pid, ...Object.values(floors).map((f) => f.proc.pid as number)];

  type Row = 'floor' | 'floor3' | 'floor3n' | 'signIn1k' | 'signInLarge' | 'refresh';
  const targets: Record<Row, [string, unknown, number]> = {
    floor: [floorUrl.signin, small.signIn, floors.signin.proc.pid as number],
    floor3: [floorUrl.rs256x3, small.signIn, floors.rs256x3.proc.pid as number],
    floor3n: [floorUrl.rs256x3node, small.signIn, floors.rs256x3node.proc.pid as number],
    signIn1k: [small.url, small.signIn, small.pid],
    signInLarge: [large.url, large.signIn, large.pid],
    refresh: [small.url, small.refresh, small.pid],
  };
  const rows = Object.keys(targets) as Row[];
  const runAll = async (): Promise<Record<Row, Figures>> => {
    const out = {} as Record<Row, Figures>;
    for (const row of rows) {
      const [url, body, pid] = targets[row];
      out[row] = await load(url, 'InitiateAuth', body, pid);
    }
    return out;
  };
  /** Every row once per round (warmed up in the first), each row's median over the rounds. */
  const runRounds = async (): Promise<Record<Row, Figures>> => {
    const seen = Object.fromEntries(rows.map((r) => [r, [] as Figures[]])) as Record<Row, Figures[]>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) {
        const [url, body, pid] = targets[row];
        seen[row].push(await load(url, 'InitiateAuth', body, pid, ROUND_S, round === 0 ? WARMUP_S : 0));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const out = {} as Record<Row, Figures>;
    for (const row of rows) {
      const f = seen[row];
      out[row] = {
        rps: median(f.map((x) => x.rps)),
        cpuUs: median(f.map((x) => x.cpuUs)),
        p50: median(f.map((x) => x.p50)),
        p99: median(f.map((x) => x.p99)),
        errors: f.reduce((n, x) => n + x.errors, 0),
      };
    }
    return out;
  };
  // Pinned (judged): this process (autocannon) on one core, each server on the other.
  setAffinity(process.pid, LOAD_CPU);
  const pinned = await runRounds();
  for (const pid of [process.pid, ...pids]) setAffinity(pid, ALL_CPUS);
  const free = await runAll();
  small.stop();
  large.stop();
  for (const f of Object.values(floors)) f.proc.send({ t: 'stop' });

  const col = (v: string, w: number) => v.padStart(w);
  // Judged against the issue's floor, three RS256 signatures, signed whichever way is faster in this run.
  const floorOf = (r: Record<Row, Figures>) => Math.max(r.floor3.rps, r.floor3n.rps);
  // The same comparison in CPU time per request (every thread of the server), which the machine's other load moves
  // far less than req/s: a busy core gives a server with more threads (jose's thread pool) a larger share of it.
  const floorCpu = (r: Record<Row, Figures>) => Math.min(r.floor3.cpuUs, r.floor3n.cpuUs);
  const line = (name: string, row: Row) => {
    const p = pinned[row];
    const f = free[row];
    return `${name.padEnd(48)}${col(p.rps.toFixed(0), 7)}${col(`${p.p50} ms`, 8)}${col(`${p.p99} ms`, 8)}${col(`${(p.rps / floorOf(pinned)).toFixed(2)}x`, 7)}${col(p.cpuUs.toFixed(0), 8)}${col(`${(floorCpu(pinned) / p.cpuUs).toFixed(2)}x`, 7)}${p.errors ? `  (${p.errors} errors!)` : ''}  |${col(f.rps.toFixed(0), 7)}${col(`${f.p99} ms`, 8)}${col(`${(f.rps / floorOf(free)).toFixed(2)}x`, 7)}`;
  };
  console.log(
    `\npinned: autocannon on CPU ${LOAD_CPU}, each server with all its threads on CPU ${SERVER_CPU}${CAN_PIN ? '' : ' (NOT PINNED)'}; unpinned: all on CPUs ${ALL_CPUS}; ratios against the faster 3 x RS256 floor of the same mode`,
  );
  console.log(
    `load average before: ${loadBefore}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(
    `${''.padEnd(48)}${col('------------ pinned, one core (judged) -------------', 52)}  |${col('--- unpinned ---', 22)}`,
  );
  console.log(
    `${'target'.padEnd(48)}${col('req/s', 7)}${col('p50', 8)}${col('p99', 8)}${col('ratio', 7)}${col('µs CPU', 8)}${col('ratio', 7)}  |${col('req/s', 7)}${col('p99', 8)}${col('ratio', 7)}`,
  );
  console.log(line('floor: jose, sign 2 RS256 + encrypt the refresh', 'floor'));
  console.log(line("floor: jose, sign 3 RS256 (the issue's)", 'floor3'));
  console.log(line('floor: node:crypto, sign 3 RS256', 'floor3n'));
  console.log(line(`USER_PASSWORD_AUTH, ${small.users.toLocaleString('en-US')} users`, 'signIn1k'));
  console.log(line(`USER_PASSWORD_AUTH, ${large.users.toLocaleString('en-US')} users`, 'signInLarge'));
  console.log(line('REFRESH_TOKEN_AUTH', 'refresh'));
  console.log(
    `\nseeding ${(large.users - 1000).toLocaleString('en-US')} users (one SQLite transaction through the store): ${(large.seedMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `SignUp x 1,000 (HTTP, 10 at a time, unpinned): ${small.signUpMs.toFixed(0)} ms warm, ${small.coldSignUpMs.toFixed(0)} ms cold (the first 1,000 of a fresh process)`,
  );
  const ratio = pinned.signIn1k.rps / floorOf(pinned);
  const slowdown = (1 - pinned.signInLarge.rps / pinned.signIn1k.rps) * 100;
  const checks: [string, boolean][] = [
    [`sign-in per core ${ratio.toFixed(2)}x the floor >= 0.6x`, ratio >= 0.6],
    [
      `sign-in at ${large.users.toLocaleString('en-US')} users ${slowdown.toFixed(1)}% slower than at 1,000 <= 20%`,
      slowdown <= 20,
    ],
    [
      'no errors',
      Object.values(pinned).every((f) => f.errors === 0) && Object.values(free).every((f) => f.errors === 0),
    ],
  ];
  console.log('\ntargets (issue 17):');
  for (const [text, ok] of checks) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${text}`);
  console.log(
    `  for reference: ${(floorCpu(pinned) / pinned.signIn1k.cpuUs).toFixed(2)}x the floor in CPU time per request (pinned)`,
  );
  console.log(
    `  for reference: ${(pinned.signIn1k.rps / pinned.floor.rps).toFixed(2)}x the jose "2 RS256 + encrypt" floor`,
  );
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
