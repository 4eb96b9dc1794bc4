/**
 * `npm run bench:restart`: `npm start` to endpoints.json, timed from the spawn of npm (what a developer types) to the
 * file appearing, with a fresh data dir and cloud assembly (the first start: cdk synth runs) and then three restarts
 * with nothing changed (the synth is skipped, src/cli/synth.ts). Each run's log line about the synth is printed.
 * Beside each wall time, the CPU time the `npm start` tree had used by then (npm, the cloud, and the cdk synth with
 * everything it ran), from /proc: on a shared machine the wall time grows with the load, the CPU time much less.
 * `BENCH_RESTARTS=n` sets the number of restarts. Targets (issue 17): a restart under 3 s, a first start under 15 s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, startBenchCloud } from './lib/local-cloud.js';

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 3);

/** CPU seconds used by a process tree: each live process's own and that of its children it has reaped (the synth). */
function treeCpuS(rootPid: number): number {
  const ticks = [rootPid, ...descendants(rootPid)].reduce((sum, pid) => {
    try {
      // Fields after the command name: utime, stime, cutime and cstime are the 12th to 15th.
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return sum + [11, 12, 13, 14].reduce((s, i) => s + Number(f[i] ?? 0), 0);
    } catch {
      return sum; // just exited
    }
  }, 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The CLI's log line about the synth (synthesized, or skipped and why). */
function synthLine(logFile: string): string {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; ms?: number; reason?: string };
    if (entry.msg?.includes('synth')) {
      return `${entry.msg}${entry.reason ? ` (${entry.reason})` : ''}, ${entry.ms} ms`;
    }
  }
  return '(no synth line)';
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-restart-'));
  const rows: { name: string; ms: number; cpuS: number; line: string; load: string }[] = [];
  try {
    for (let run = 0; run <= RESTARTS; run++) {
      const load = loadavg()[0]?.toFixed(2) ?? '?';
      rmSync(join(dataDir, 'endpoints.json'), { force: true });
      const cloud = await startBenchCloud(dataDir);
      const cpuS = treeCpuS(cloud.rootPid);
      await cloud.stop();
      rows.push({
        name: run === 0 ? 'first start (fresh cdk.out)' : `restart ${run}, nothing changed`,
        ms: cloud.startMs,
        cpuS,
        line: synthLine(cloud.logFile),
        load,
      });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nnpm start to endpoints.json, ${availableParallelism()} cores, node ${process.version} (load average is the 1-minute figure as each run began; other work on the machine skews every figure)\n`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(32)}${(r.ms / 1000).toFixed(2).padStart(7)} s  (CPU ${r.cpuS.toFixed(1).padStart(4)} s)   load ${r.load.padStart(5)}   ${r.line}`,
    );
  }
  const [first, ...restarts] = rows;
  const worst = Math.max(...restarts.map((r) => r.ms));
  const checks: [string, boolean][] = [
    [`every restart < 3 s (worst ${(worst / 1000).toFixed(2)} s)`, worst < 3000],
    [`first start < 15 s (${((first?.ms ?? 0) / 1000).toFixed(2)} s)`, (first?.ms ?? Infinity) < 15_000],
    ['every restart skipped cdk synth', restarts.every((r) => r.line.startsWith('skipped cdk synth'))],
  ];
  console.log('\ntargets (issue 17):');
  for (const [text, ok] of checks) console.log(`  ${ok ? 'pass' : 'FAIL'}  ${text}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

await main();
