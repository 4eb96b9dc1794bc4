import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What one checkpoint did: WAL frames in the log, and how many of them are now in the database file. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves after the next checkpoint the thread runs. */
  next(): Promise<CheckpointResult>;
  /** Closes the thread's connection (waiting at most a second for it) and ends the thread. */
  close(): void;
}

/**
 * The thread's code, plain CommonJS in a string so that it starts the same under tsx, vitest and compiled `dist/`
 * (as the Lambda bootstrap does). It opens its own connection and runs a PASSIVE checkpoint every `intervalMs`:
 * PASSIVE never waits for, nor blocks, the writer on the main thread.
 */
const SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const closed = new Int32Array(workerData.closed);
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  try { db.close(); } finally {
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
  }
});
`;

/**
 * Checkpoints a WAL database from a thread of its own. With SQLite's automatic checkpoints, the commit that takes the
 * WAL past 1000 pages copies them into the database file and fsyncs it, on the committing thread: for the logs store,
 * 30–90 ms of the gateway's event loop about once a second under load. The caller turns the automatic checkpoints
 * off (`wal_autocheckpoint = 0`) and this thread does them instead; `onExit` says when the thread is gone for good
 * (the caller turns them back on).
 * @see https://www.sqlite.org/wal.html#application_initiated_checkpoints
 */
export function startCheckpointer(file: string, intervalMs: number, onExit: () => void): Checkpointer {
  const closed = new SharedArrayBuffer(4);
  const worker = new Worker(SOURCE, {
    eval: true,
    name: 'logs-checkpointer',
    execArgv: [],
    workerData: {
      file,
      intervalMs,
      closed,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
    // One connection and a timer: a small heap.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  });
  worker.unref();
  const waiting: ((r: CheckpointResult) => void)[] = [];
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    if ('error' in m) return;
    for (const resolve of waiting.splice(0)) resolve(m);
  });
  worker.on('error', () => {});
  worker.on('exit', onExit);
  return {
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close() {
      worker.postMessage('close');
      Atomics.wait(new Int32Array(closed), 0, 0, 1000);
      void worker.terminate();
    },
  };
}
