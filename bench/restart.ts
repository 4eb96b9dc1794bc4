/**
 * `npm run bench:restart`: `npm start` to endpoints.json, timed from the spawn of npm (what a developer types) to the
 * file appearing, with a fresh data dir and cloud assembly (the first start: cdk synth runs) and then three restarts
 * with nothing changed (the synth is skipped, src/cli/synth.ts). Each run's log line about the synth is printed.
 * `BENCH_RESTARTS=n` sets the number of restarts. Targets (issue 17): a restart under 3 s, a first start under 15 s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchCloud } from './lib/local-cloud.js';

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 3);

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
  const rows: { name: string; ms: number; line: string; load: string }[] = [];
  try {
    for (let run = 0; run <= RESTARTS; run++) {
      const load = loadavg()[0]?.toFixed(2) ?? '?';
      rmSync(join(dataDir, 'endpoints.json'), { force: true });
      const cloud = await startBenchCloud(dataDir);
      await cloud.stop();
      rows.push({
        name: run === 0 ? 'first start (fresh cdk.out)' : `restart ${run}, nothing changed`,
        ms: cloud.startMs,
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
      `${r.name.padEnd(32)}${(r.ms / 1000).toFixed(2).padStart(7)} s   load ${r.load.padStart(5)}   ${r.line}`,
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
