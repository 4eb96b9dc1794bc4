/**
 * CPU pinning for the benchmarks, with util-linux's `taskset`: the load generator on one core, the server under test
 * (every thread and every process it starts) on another, so that a figure is what one core of the server does, and
 * the scheduler's sharing of two cores between load and server no longer moves it.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { descendants } from './local-cloud.js';

/** Pinning needs taskset and at least two cores. */
export const CAN_PIN =
  process.platform === 'linux' &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error === undefined;
/** The load generator's core (this process, and wrk when used). */
export const LOAD_CPU = '0';
/** The server under test's core. */
export const SERVER_CPU = '1';
/** Every core: what "unpinned" means. */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

/** `cmd args` run on `cpus` (taskset execs the command: the pid is the command's, and its threads inherit). */
export function onCpus(cpus: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return cpus && CAN_PIN ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
}

/** Moves every thread of `pid` and of every process below it to `cpus`. */
export function setAffinity(pid: number, cpus: string): void {
  if (!CAN_PIN) return;
  for (const p of [pid, ...descendants(pid)]) {
    const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(p)], { stdio: 'ignore' });
    if (r.status !== 0 && p === pid) throw new Error(`taskset could not move pid ${p} to CPUs ${cpus}`);
  }
}
