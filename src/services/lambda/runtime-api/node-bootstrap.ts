/**
 * The code each Lambda worker thread runs: the local counterpart of Lambda's Node.js runtime interface client.
 *
 * It is kept as plain JavaScript in a string and started with `new Worker(src, { eval: true })` because the worker
 * must start the same way under tsx, vitest and compiled `dist/`: a `.ts` worker file would need a TypeScript loader
 * in the worker, and a `.js` file beside it would not be copied by `tsc`. The tests in test/lambda exercise every
 * branch of it through the real LambdaRuntime.
 *
 * It speaks the Runtime API's messages (./contract.ts) over the worker's MessagePort, all plain objects:
 * - worker → host: `{ t: 'next' }` once the handler module is loaded and after each invocation;
 *   `{ t: 'initError', errorType, errorMessage }`; `{ t: 'log', line }` one tagged console line;
 *   `{ t: 'response', requestId, json, mem }` (the result serialised as Lambda does, with JSON.stringify; `mem` the
 *   isolate's heap in MB); `{ t: 'error', requestId, errorType, errorMessage, mem }`; `{ t: 'crash', errorType,
 *   errorMessage }` just before the thread exits on an uncaught exception or unhandled rejection.
 * - host → worker: an Invocation `{ requestId, event, deadlineMs, invokedFunctionArn, traceId }` answering `next`.
 *
 * @see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { existsSync, readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const util = require('node:util');
const v8 = require('node:v8');

const cfg = workerData;
// Lambda tags lines logged outside an invocation (during init) with the literal request id "undefined".
let currentId = 'undefined';

function toRapid(error) {
  try {
    if (util.types.isNativeError(error) || error instanceof Error) {
      return { errorType: String(error.name), errorMessage: String(error.message), trace: String(error.stack || '').split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack', trace: [] };
  }
}

function emit(level, args) {
  // Lambda's text log format keeps a multi-line message in one CloudWatch event by turning \n into \r.
  const message = util.format(...args).replace(/\n/g, '\r');
  parentPort.postMessage({ t: 'log', line: new Date().toISOString() + '\t' + currentId + '\t' + level + '\t' + message });
}
console.log = (...a) => emit('INFO', a);
console.info = (...a) => emit('INFO', a);
console.warn = (...a) => emit('WARN', a);
console.error = (...a) => emit('ERROR', a);
console.debug = (...a) => emit('DEBUG', a);
console.trace = (...a) => emit('TRACE', a);

function formatted(e) {
  const r = toRapid(e);
  return JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, stack: r.trace });
}

let crashed = false;
function crash(errorType, errorMessage, exitCode) {
  if (crashed) return;
  crashed = true;
  parentPort.postMessage({ t: 'crash', errorType, errorMessage });
  process.exit(exitCode);
}
process.on('uncaughtException', (e) => {
  console.error('Uncaught Exception', '\t' + formatted(e));
  const r = toRapid(e);
  crash(r.errorType, r.errorMessage, 129);
});
process.on('unhandledRejection', (reason) => {
  const r = toRapid(reason);
  const message = util.types.isNativeError(reason) || reason instanceof Error ? r.errorType + ': ' + r.errorMessage : String(reason);
  console.error('Unhandled Promise Rejection', '\t' + JSON.stringify({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: message }));
  crash('Runtime.UnhandledPromiseRejection', message, 128);
});

function heapMb() {
  return Math.ceil(v8.getHeapStatistics().total_heap_size / 1048576);
}

// In Lambda the task root has no parent package.json, so a .js file is CommonJS unless a package.json inside the
// task root says "type": "module". Locally the code sits in cdk.out inside a project that may itself say "module";
// the package scope is therefore looked up only within the code directory.
const codeRoot = path.resolve(cfg.codeDir);
const inCode = (f) => {
  const rel = path.relative(codeRoot, f);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};
function packageType(dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const pj = path.join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8')).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (d === codeRoot || path.dirname(d) === d) return 'commonjs';
  }
}
const requireJs = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (inCode(filename) && packageType(path.dirname(filename)) === 'commonjs') {
    module._compile(readFileSync(filename, 'utf8'), filename);
  } else {
    requireJs(module, filename);
  }
};

// Lambda's handler string: "<dir/>module.export.path" where the module name stops at the first dot.
async function load() {
  const dot = cfg.handler.lastIndexOf('/') + 1;
  const rel = cfg.handler.slice(0, dot);
  const m = /^([^.]*)\.(.*)$/.exec(cfg.handler.slice(dot));
  if (!m) {
    const e = new Error('Bad handler ' + cfg.handler);
    e.name = 'Runtime.MalformedHandlerName';
    throw e;
  }
  const base = path.resolve(cfg.codeDir, rel, m[1]);
  const file = ['.js', '.mjs', '.cjs'].map((x) => base + x).find((f) => existsSync(f));
  if (!file) {
    const e = new Error("Cannot find module '" + rel + m[1] + "'");
    e.name = 'Runtime.ImportModuleError';
    throw e;
  }
  let mod;
  try {
    const esm = file.endsWith('.mjs') || (file.endsWith('.js') && packageType(path.dirname(file)) === 'module');
    // A CommonJS module's exports stand in for the namespace's default export, as import() would give them.
    mod = esm ? await import(pathToFileURL(file).href) : { default: require(file) };
  } catch (err) {
    if (err && err.name === 'SyntaxError') {
      const e = new Error(String(err.message));
      e.name = 'Runtime.UserCodeSyntaxError';
      throw e;
    }
    throw err;
  }
  const walk = (root) => m[2].split('.').reduce((o, k) => (o == null ? undefined : o[k]), root);
  // A CommonJS module's exports are also the namespace's default export.
  const fn = walk(mod) ?? walk(mod.default);
  if (typeof fn !== 'function') {
    const e = new Error(rel + m[1] + '.' + m[2] + ' is undefined or not exported');
    e.name = 'Runtime.HandlerNotFound';
    throw e;
  }
  return fn;
}

let handler;

function invoke(msg) {
  const id = msg.requestId;
  currentId = id;
  let done = false;
  const finish = (err, result) => {
    if (done) return;
    done = true;
    if (err !== null && err !== undefined) {
      console.error('Invoke Error', '\t' + formatted(err));
      const r = toRapid(err);
      parentPort.postMessage({ t: 'error', requestId: id, errorType: r.errorType, errorMessage: r.errorMessage, mem: heapMb() });
      parentPort.postMessage({ t: 'next' });
      return;
    }
    let json;
    try {
      json = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      parentPort.postMessage({ t: 'error', requestId: id, errorType: 'Runtime.MarshalError', errorMessage: 'Unable to stringify response body', mem: heapMb() });
      parentPort.postMessage({ t: 'next' });
      return;
    }
    parentPort.postMessage({ t: 'response', requestId: id, json: json === undefined ? 'null' : json, mem: heapMb() });
    parentPort.postMessage({ t: 'next' });
  };
  const callback = (err, result) => finish(err, result);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: cfg.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: msg.invokedFunctionArn,
    memoryLimitInMB: String(cfg.memorySize),
    awsRequestId: id,
    logGroupName: cfg.logGroupName,
    logStreamName: cfg.logStreamName,
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
    done: (err, result) => finish(err, result),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err ?? 'handled', undefined),
  };
  try {
    const r = handler(msg.event, context, callback);
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
      r.then((v) => finish(null, v), (e) => finish(e === undefined || e === null ? new Error('Promise rejected with ' + e) : e));
    } else {
      // No promise: Lambda waits for the callback, or answers null once the event loop is empty. The loop counts
      // as empty when nothing but our own port and this poll's timer is active.
      const poll = () => {
        if (done) return;
        const active = process.getActiveResourcesInfo().filter((r) => r !== 'MessagePort').length;
        if (active <= 1) finish(null, null);
        else setTimeout(poll, 2);
      };
      setTimeout(poll, 0);
    }
  } catch (e) {
    finish(e);
  }
}

load().then(
  (fn) => {
    handler = fn;
    parentPort.on('message', invoke);
    parentPort.postMessage({ t: 'next' });
  },
  (e) => {
    console.error('Init Error', '\t' + formatted(e));
    const r = toRapid(e);
    parentPort.postMessage({ t: 'initError', errorType: r.errorType, errorMessage: r.errorMessage });
  },
);
`;
