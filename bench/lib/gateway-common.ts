/**
 * What the gateway benchmark's parent and its server processes share: the client id, the worker count and the
 * messages a server process sends.
 */
import { availableParallelism } from 'node:os';

export const CLIENT_ID = 'benchclient0000000000000000';
/**
 * Lambda execution environments (worker threads) for the function: one per core, the setting we recommend for
 * `npm start` (more workers than cores add memory, ~15 MB each, and no throughput). `BENCH_WORKERS` overrides.
 */
export const WORKERS = Number(process.env.BENCH_WORKERS ?? availableParallelism());

export type Mode = 'baseline' | 'gateway';
export interface Ready {
  t: 'ready';
  url: string;
  /** The issuer the process serves (its port bound for real, port 0), for the token the parent signs. */
  issuer: string;
}
export interface Rss {
  t: 'rss';
  peakMb: number;
  nowMb: number;
  readyMb: number;
}
