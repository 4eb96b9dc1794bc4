/**
 * Load generation for the gateway benchmark: wrk or autocannon, run in alternating slices over every target.
 */
import { execFile, spawnSync } from 'node:child_process';

export const CONNECTIONS = 10;
export const DURATION_S = 10;
export const WARMUP_S = 2;
/** The 10 s per server are run as this many alternating slices. */
export const ROUNDS = 5;

export interface Figures {
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

export interface Slice {
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
export const LOADGEN: 'wrk' | 'autocannon' =
  process.env.BENCH_LOADGEN === 'autocannon' ||
  spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error !== undefined
    ? 'autocannon'
    : 'wrk';

export async function runLoad(load: Load, seconds: number): Promise<Slice> {
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
export interface Load {
  url: string;
  headers: Record<string, string>;
}
export type LoadFigures = Omit<Figures, 'peakRssMb' | 'readyRssMb'>;

/**
 * Runs the load in alternating slices (baseline, gateway, cloud, baseline, ...) so that other work on this shared
 * machine weighs on every target alike. req/s is over all slices; p50 is the median of the slices' p50, p99 the
 * worst slice's p99 (judged), printed with the median slice's p99.
 */
export async function measureAll<Target extends string>(
  targets: Record<Target, Load>,
): Promise<Record<Target, LoadFigures>> {
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
