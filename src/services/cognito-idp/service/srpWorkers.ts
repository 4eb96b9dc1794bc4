/**
 * SRP's big-number work (one 3072-bit modexp per password check or new verifier, about 0.7 ms) off the event loop.
 * The JSON API's password flows and sign-ups run it on worker threads so the main thread keeps serving requests and
 * a second core does the maths. The workers run the very same SRP module (src/services/cognito-idp/srp), bundled once with esbuild
 * when the service runs from TypeScript sources; if a worker cannot start, the work runs inline.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as srp from '../srp/index.js';

/** The SRP operations the service needs, async so they can run anywhere. */
export interface SrpCompute {
  createVerifier(
    poolId: string,
    userIdForSrp: string,
    password: string,
  ): Promise<{ salt: string; verifier: string }>;
  verifyPassword(
    poolId: string,
    userIdForSrp: string,
    password: string,
    saltHex: string,
    verifierHex: string,
  ): Promise<boolean>;
  close(): Promise<void>;
}

/** The same operations on the calling thread. */
export const inlineSrp: SrpCompute = {
  createVerifier: async (...a) => srp.createVerifier(...a),
  verifyPassword: async (...a) => srp.verifyPassword(...a),
  close: async () => {},
};

type Op = 'createVerifier' | 'verifyPassword';
interface Job {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

let cachedSource: string | undefined;

/** The worker's program: the SRP module as CommonJS, plus a message loop (built once per process). */
function workerSource(): string {
  cachedSource ??= buildWorkerSource();
  return cachedSource;
}

function buildWorkerSource(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const modulePath = fileURLToPath(new URL(`../srp/index${ext}`, import.meta.url));
  let body: string;
  if (ext === '.ts') {
    // From sources (tsx, vitest): bundle the TypeScript module once. esbuild is only needed in that case.
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({
      entryPoints: [modulePath],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      target: 'node20',
    });
    body = (out.outputFiles[0] as { text: string }).text;
    // The sync API keeps an esbuild child process alive for later calls; there are none, so give its memory back.
    void esbuild.stop();
  } else {
    body = `module.exports = require(${JSON.stringify(modulePath)});`;
  }
  return `
const { parentPort } = require('node:worker_threads');
const srp = (() => { const module = { exports: {} }; (function (module, exports) { ${body}\n })(module, module.exports); return module.exports; })();
parentPort.on('message', ({ id, op, args }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: srp[op](...args) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String(err && err.message) });
  }
});`;
}

export interface SrpWorkersOptions {
  /**
   * The workers start once the maths run inline has taken more than this many ms of the main thread within one
   * second (wall time: a busy machine's preemptions count too). Default 50 (5% of a core, some 70 password operations
   * at 0.7 ms): a developer signing in by hand never pays for the worker's isolate (about 7 MB), a sign-in load gets
   * it within its first second. 0: with the first operation.
   */
  inlineBudgetMs?: number;
  /** Monotonic milliseconds (injected by tests). */
  now?: () => number;
}

/**
 * A small pool of SRP workers (round robin), started on demand (`inlineBudgetMs`). Falls back to inline work if the
 * workers cannot start or die.
 * @param size how many workers; 1 suits a 2-core machine (the main thread keeps the other core).
 */
export function createSrpWorkers(
  size = 1,
  opts: SrpWorkersOptions = {},
): SrpCompute & { completedInWorkers(): number } {
  const budgetMs = opts.inlineBudgetMs ?? 50;
  const now = opts.now ?? (() => performance.now());
  /** The inline maths of the current one-second window. */
  let windowStart = Number.NEGATIVE_INFINITY;
  let spentMs = 0;
  let workers: Worker[] = [];
  const jobs = new Map<number, Job>();
  let nextId = 0;
  let turn = 0;
  let broken = false;
  let done = 0;
  let started = false;
  // Started when the maths would weigh on the main thread, not with the service: a local cloud that is signed in to
  // now and then keeps neither the worker's isolate nor its bundled source in memory.
  const start = () => {
    if (started) return;
    started = true;
    try {
      startWorkers();
    } catch {
      broken = true;
    }
  };
  /** Runs one operation on this thread, and starts the workers once the window's inline maths exceed the budget. */
  const inlineMetered = <T>(inline: () => Promise<T>): Promise<T> => {
    const t0 = now();
    const result = inline(); // the maths run synchronously inside
    const t1 = now();
    if (t0 - windowStart > 1000) {
      windowStart = t0;
      spentMs = 0;
    }
    spentMs += t1 - t0;
    if (spentMs > budgetMs) start();
    return result;
  };
  const startWorkers = () => {
    const source = workerSource();
    for (let i = 0; i < size; i++) {
      const w = new Worker(source, { eval: true });
      w.unref();
      w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
        const job = jobs.get(m.id);
        if (!job) return;
        jobs.delete(m.id);
        done++;
        if (m.ok) job.resolve(m.value);
        else job.reject(new Error(m.error ?? 'SRP worker failed'));
      });
      w.on('error', () => {
        broken = true;
      });
      w.on('exit', () => {
        // Whatever was in flight on a dead worker is redone inline by its caller's fallback below.
        broken = true;
        for (const [id, job] of jobs) {
          jobs.delete(id);
          job.reject(new Error('SRP worker exited'));
        }
      });
      workers.push(w);
    }
  };
  const run = <T>(op: Op, args: unknown[], inline: () => Promise<T>): Promise<T> => {
    if (!started && budgetMs <= 0) start();
    if (!started) return inlineMetered(inline);
    if (broken || workers.length === 0) return inline();
    const w = workers[turn++ % workers.length] as Worker;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      jobs.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, op, args });
    }).catch(() => inline());
  };
  return {
    createVerifier: (p, u, pw) => run('createVerifier', [p, u, pw], () => inlineSrp.createVerifier(p, u, pw)),
    verifyPassword: (p, u, pw, s, v) =>
      run('verifyPassword', [p, u, pw, s, v], () => inlineSrp.verifyPassword(p, u, pw, s, v)),
    completedInWorkers: () => done,
    async close() {
      started = true;
      const all = workers;
      workers = [];
      broken = true;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
