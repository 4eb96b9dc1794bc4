/**
 * `npx tsx bench/profile-cloud.ts`: load on the whole local cloud only (no baseline, no gateway-only process), with the
 * CPU time each thread of the cloud's process spent per slice, read from /proc. For finding where the time goes:
 * `BENCH_CPU_PROF=1` also writes the cloud's CPU profile to .bench-prof/; `BENCH_CLOUD_ARGS` appends CLI options;
 * `SLICES` (default 3) and `SLICE_S` (default 5) shape the run. Not a benchmark of record: bench/gateway.ts is.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sampleTreeRss, signInBenchUser, startBenchCloud, treeRss } from './lib/local-cloud.js';

/** utime + stime of every thread of `pid`, in clock ticks (1/100 s on Linux), by thread id. */
function threadTicks(pid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread has just ended
    }
  }
  return ticks;
}

/** The thread's name (`comm`): V8's helpers, libuv's pool, or a worker thread's. */
function threadName(pid: number, tid: string): string {
  try {
    return `${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()}[${tid}]`;
  } catch {
    return tid;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-profile-cloud-'));
const cloud = await startBenchCloud(dir, {
  cpus: process.env.BENCH_PIN ? '1' : undefined,
  extraArgs: (process.env.BENCH_CLOUD_ARGS ?? '').split(' ').filter(Boolean),
});
try {
  const { accessToken } = await signInBenchUser(cloud.endpoints);
  const url = `${cloud.endpoints.apis[0]?.url}/person`;
  const headers = { authorization: `Bearer ${accessToken}` };
  const run = (seconds: number) => autocannon({ url, connections: 10, duration: seconds, headers });
  const idle = treeRss(cloud.rootPid, cloud.serverPid);
  const sampler = sampleTreeRss(cloud.rootPid, cloud.serverPid);
  await run(2);
  for (let i = 0; i < Number(process.env.SLICES ?? 3); i++) {
    const before = threadTicks(cloud.serverPid);
    const cpu = process.cpuUsage();
    const r = await run(Number(process.env.SLICE_S ?? 5));
    const after = threadTicks(cloud.serverPid);
    const load = process.cpuUsage(cpu);
    const busy: string[] = [];
    let total = 0;
    for (const [tid, t] of after) {
      const d = t - (before.get(tid) ?? 0);
      total += d;
      if (d > 5)
        busy.push(
          `${tid === String(cloud.serverPid) ? 'main' : threadName(cloud.serverPid, tid)} ${d * 10} ms`,
        );
    }
    console.log(
      `${r.requests.average} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}; cloud CPU ${total * 10} ms = ${((total * 10 * 1000) / r.requests.total).toFixed(0)} µs/request (${busy.join(', ')}); load generator ${((load.user + load.system) / 1000).toFixed(0)} ms`,
    );
  }
  const rss = sampler.stop();
  console.log(
    `RSS: idle ${idle.cloudMb.toFixed(0)} MiB (tree ${idle.treeMb.toFixed(0)}), under load ${rss.cloudPeakMb.toFixed(0)} MiB (tree ${rss.treePeakMb.toFixed(0)})`,
  );
} finally {
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
}
