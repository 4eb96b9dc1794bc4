import { Worker } from 'node:worker_threads';
import type { EnvironmentFactory, ExecutionEnvironment, RuntimeMessage } from './contract.js';
import { awsHttpsSource } from './local-cloud.js';
import { WORKER_SOURCE } from './node-bootstrap.js';

/** The Node bootstrap's messages: the contract's, with the isolate's heap size on results. */
type WorkerMessage = RuntimeMessage & { mem?: number };

/**
 * A Node.js execution environment in a worker thread: its own globals, its own `process.env`, a V8 heap capped at
 * the function's memory size. It speaks the Runtime API contract over the worker's MessagePort.
 *
 * REPORT's "Max Memory Used" is the isolate's V8 heap, not a process RSS (workers share one process).
 */
export const startWorkerEnvironment: EnvironmentFactory = (o) => {
  const { spec } = o;
  // The local cloud's hook runs first, after the bootstrap's 'use strict' directive.
  const source =
    o.awsEndpoint === undefined
      ? WORKER_SOURCE
      : WORKER_SOURCE.replace("'use strict';", `'use strict';${awsHttpsSource(o.awsEndpoint)}`);
  const worker = new Worker(source, {
    eval: true,
    name: `lambda:${spec.name}`,
    env: o.env,
    // A clean isolate: the host's loaders (tsx, vitest) are not the Lambda runtime's.
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: spec.memorySize },
    workerData: {
      handler: spec.handler,
      codeDir: spec.codeDir,
      functionName: spec.name,
      memorySize: spec.memorySize,
      logGroupName: o.logGroupName,
      logStreamName: o.logStreamName,
    },
  });
  let maxMb = 0;
  let gone = false;
  worker.on('message', (m: WorkerMessage) => {
    if (m.mem !== undefined) maxMb = Math.max(maxMb, m.mem);
    o.onMessage(m);
  });
  worker.on('error', (e: Error & { code?: string }) => {
    o.onMessage(
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? {
            t: 'crash',
            errorType: 'Runtime.OutOfMemory',
            errorMessage: 'Runtime exited with error: signal: killed',
          }
        : { t: 'crash', errorType: e.name, errorMessage: e.message },
    );
  });
  worker.on('exit', (code) => {
    gone = true;
    o.onMessage({ t: 'exit', code });
  });
  const env: ExecutionEnvironment = {
    deliver(invocation) {
      worker.postMessage(invocation);
    },
    maxMemoryMb: () => maxMb,
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    async terminate() {
      if (!gone) await worker.terminate();
    },
  };
  return env;
};
