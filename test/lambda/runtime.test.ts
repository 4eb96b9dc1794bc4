import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import type { InvokeResult } from '../../src/shared/invoker.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION, WAIT } from './helpers.js';

const runtimes: LambdaRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  cleanup();
});

function start(
  functions: ReturnType<typeof fn>[],
  extra: { maxConcurrency?: number; idleTimeoutMs?: number } = {},
) {
  const lines: { line: string; fn: string }[] = [];
  const rt = new LambdaRuntime({
    functions,
    log: memoryLogger(),
    region: REGION,
    accountId: ACCOUNT,
    consoleSink: (line, f) => lines.push({ line, fn: f }),
    ...extra,
  });
  runtimes.push(rt);
  return { rt, lines };
}

function payload(r: InvokeResult): unknown {
  if (!r.ok) throw new Error(`invocation failed: ${r.kind} ${r.errorType} ${r.errorMessage}`);
  return r.payload;
}

const ECHO_ENV = `export const handler = async () => {
  globalThis.seen = (globalThis.seen ?? 0) + 1;
  return { env: { ...process.env }, seen: globalThis.seen, others: globalThis.otherMark ?? null };
};`;

describe('LambdaRuntime', () => {
  it('gives each function its own environment variables and globals, and none of the host environment', async () => {
    const a = codeDir({ 'index.mjs': ECHO_ENV });
    const b = codeDir({ 'index.mjs': `globalThis.otherMark = 'b';\n${ECHO_ENV}` });
    const { rt } = start([
      fn('fa', a, { environment: { TABLE: 'alpha' }, memorySize: 256 }),
      fn('fb', b, { environment: { TABLE: 'beta', ONLY_B: '1' } }),
    ]);
    const ra = payload(await rt.invoke('fa', {})) as { env: Record<string, string>; others: unknown };
    const rb = payload(await rt.invoke('fb', {})) as { env: Record<string, string>; others: unknown };
    expect(ra.env.TABLE).toBe('alpha');
    expect(ra.env.ONLY_B).toBeUndefined();
    expect(ra.others).toBeNull();
    expect(rb.env.TABLE).toBe('beta');
    expect(rb.others).toBe('b');
    expect(ra.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'fa',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fa',
      LAMBDA_TASK_ROOT: a,
      _HANDLER: 'index.handler',
      TZ: ':UTC',
    });
    expect(ra.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    // The host's variables (HOME, the test runner's own) must not leak into a function.
    expect(ra.env.HOME).toBeUndefined();
    expect(ra.env.VITEST).toBeUndefined();
  });

  it('reuses a warm execution environment and reports only the first invocation as a cold start', async () => {
    const { rt } = start([fn('warm', codeDir({ 'index.mjs': ECHO_ENV }))]);
    const first = await rt.invoke('warm', {});
    const second = await rt.invoke('warm', {});
    expect(first.ok && first.coldStart).toBe(true);
    expect(second.ok && second.coldStart).toBe(false);
    expect((payload(second) as { seen: number }).seen).toBe(2);
    const s = rt.stats();
    expect(s.functions.warm).toMatchObject({ invocations: 2, coldStarts: 1, workers: 1, busy: 0, queued: 0 });
    expect(s.functions.warm?.coldStartMs).toHaveLength(1);
    expect(s.functions.warm?.coldStartMs[0]).toBeGreaterThan(0);
    expect(s).toMatchObject({ invocations: 2, coldStarts: 1 });
  });

  it('ends a worker left idle longer than idleTimeoutMs and cold-starts the next call', async () => {
    const { rt } = start([fn('idle', codeDir({ 'index.mjs': ECHO_ENV }))], { idleTimeoutMs: 20 });
    expect(await rt.invoke('idle', {})).toMatchObject({ ok: true, coldStart: true });
    await vi.waitFor(() => expect(rt.stats().functions.idle?.workers).toBe(0), WAIT);
    expect(await rt.invoke('idle', {})).toMatchObject({ ok: true, coldStart: true });
    expect(rt.stats().functions.idle?.coldStarts).toBe(2);
  });

  it('runs at most maxConcurrency invocations of a function at once and queues the rest', async () => {
    // The event carries a SharedArrayBuffer: [active now, most active ever, gate]. Handlers wait on the gate.
    const dir = codeDir({
      'index.mjs': `export const handler = async ({ shared }) => {
        const a = new Int32Array(shared);
        const now = Atomics.add(a, 0, 1) + 1;
        for (let m = Atomics.load(a, 1); now > m; m = Atomics.load(a, 1)) Atomics.compareExchange(a, 1, m, now);
        if (Atomics.load(a, 2) === 0) await Atomics.waitAsync(a, 2, 0).value;
        Atomics.sub(a, 0, 1);
        return 'done';
      };`,
    });
    const { rt } = start([fn('limited', dir)], { maxConcurrency: 2 });
    const shared = new SharedArrayBuffer(12);
    const a = new Int32Array(shared);
    const calls = Array.from({ length: 5 }, () => rt.invoke('limited', { shared }));
    await vi.waitFor(() => expect(Atomics.load(a, 0)).toBe(2), WAIT);
    expect(rt.stats().functions.limited).toMatchObject({ workers: 2, busy: 2, queued: 3 });
    Atomics.store(a, 2, 1);
    Atomics.notify(a, 2);
    const results = await Promise.all(calls);
    expect(results.map(payload)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(Atomics.load(a, 1)).toBe(2);
    expect(rt.stats().functions.limited).toMatchObject({ coldStarts: 2, invocations: 5, queued: 0 });
  });

  it('hands the handler a full Lambda context whose remaining time decreases', async () => {
    const dir = codeDir({
      'index.mjs': `export const handler = async (event, context) => {
        const first = context.getRemainingTimeInMillis();
        await new Promise((r) => setTimeout(r, 30));
        const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
        return { fields, first, second: context.getRemainingTimeInMillis(),
          fns: [typeof getRemainingTimeInMillis, typeof done, typeof succeed, typeof fail] };
      };`,
    });
    const { rt } = start([fn('ctx', dir, { timeout: 5, memorySize: 512 })]);
    const r = await rt.invoke('arn:aws:lambda:us-east-1:123456789012:function:ctx', {});
    const p = payload(r) as { fields: Record<string, unknown>; first: number; second: number; fns: string[] };
    expect(p.fields).toMatchObject({
      awsRequestId: r.requestId,
      functionName: 'ctx',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ctx`,
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/ctx',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(p.fields.logStreamName).toMatch(/\[\$LATEST\][0-9a-f]{32}$/);
    expect(p.fns).toEqual(['function', 'function', 'function', 'function']);
    expect(p.first).toBeLessThanOrEqual(5000);
    expect(p.first).toBeGreaterThan(4000);
    expect(p.second).toBeLessThan(p.first);
  });

  it('tags console output with the request id and brackets each invocation with START, END and REPORT', async () => {
    const dir = codeDir({
      'index.mjs': `console.log('loading');
      export const handler = async (e) => {
        console.log('hello %s', e.who); console.info('an info'); console.warn('careful'); console.error('bad');
        console.debug('dbg'); console.log('two\\nlines');
        return 1;
      };`,
    });
    const { rt, lines } = start([fn('talk', dir, { memorySize: 192 })]);
    const r1 = await rt.invoke('talk', { who: 'world' });
    const r2 = await rt.invoke('talk', { who: 'again' });
    const id = r1.requestId;
    const text = lines.filter((l) => l.fn === 'talk').map((l) => l.line);
    const ts = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
    expect(text[0]).toMatch(new RegExp(`^${ts}\tundefined\tINFO\tloading$`));
    expect(text[1]).toBe(`START RequestId: ${id} Version: $LATEST`);
    expect(text.slice(2, 8).map((l) => l.replace(new RegExp(`^${ts}\t`), ''))).toEqual([
      `${id}\tINFO\thello world`,
      `${id}\tINFO\tan info`,
      `${id}\tWARN\tcareful`,
      `${id}\tERROR\tbad`,
      `${id}\tDEBUG\tdbg`,
      `${id}\tINFO\ttwo\rlines`,
    ]);
    expect(text[8]).toBe(`END RequestId: ${id}`);
    expect(text[9]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 192 MB\tMax Memory Used: \\d+ MB\tInit Duration: \\d+\\.\\d{2} ms$`,
      ),
    );
    const report2 = text.find((l) => l.startsWith(`REPORT RequestId: ${r2.requestId}`));
    expect(report2).toBeDefined();
    expect(report2).not.toContain('Init Duration');
  });

  it('loads ES module, CommonJS and nested handlers, and resolves .js before .mjs and .cjs', async () => {
    const esm = codeDir({ 'index.mjs': `export const handler = async () => 'esm';` });
    const cjs = codeDir({ 'index.cjs': `exports.handler = async () => 'cjs';` });
    const bundle = codeDir({
      'index.js': `module.exports = { handler: async () => 'bundle' };`,
      'index.mjs': 'bad(',
    });
    const nested = codeDir({});
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${nested}/src/lib`, { recursive: true });
    writeFileSync(`${nested}/src/lib/app.mjs`, `export const handlers = { person: async () => 'nested' };`);
    const { rt } = start([
      fn('esm', esm),
      fn('cjs', cjs),
      fn('bundle', bundle),
      fn('nested', nested, { handler: 'src/lib/app.handlers.person' }),
    ]);
    expect(payload(await rt.invoke('esm', {}))).toBe('esm');
    expect(payload(await rt.invoke('cjs', {}))).toBe('cjs');
    expect(payload(await rt.invoke('bundle', {}))).toBe('bundle');
    expect(payload(await rt.invoke('nested', {}))).toBe('nested');
  });

  it('reads the package type only inside the code directory, as Lambda sees its task root', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    // The project around cdk.out says "type": "module"; a CommonJS bundle inside must still load as CommonJS.
    const project = codeDir({ 'package.json': '{"type":"module"}' });
    const cjs = `${project}/cdk.out/asset.cjs`;
    mkdirSync(cjs, { recursive: true });
    writeFileSync(
      `${cjs}/index.js`,
      `const lib = require('./lib.js'); exports.handler = async () => lib.name;`,
    );
    writeFileSync(`${cjs}/lib.js`, `module.exports = { name: 'commonjs bundle' };`);
    // A package.json inside the code directory does decide.
    const esm = `${project}/cdk.out/asset.esm`;
    mkdirSync(esm, { recursive: true });
    writeFileSync(`${esm}/package.json`, '{"type":"module"}');
    writeFileSync(`${esm}/index.js`, `export const handler = async () => 'esm by package.json';`);
    const { rt } = start([fn('cjs', cjs), fn('esm', esm)]);
    expect(payload(await rt.invoke('cjs', {}))).toBe('commonjs bundle');
    expect(payload(await rt.invoke('esm', {}))).toBe('esm by package.json');
  });

  it('supports callback-style handlers, context.succeed and context.fail', async () => {
    const dir = codeDir({
      'index.cjs': `
      exports.handler = (event, context, callback) => {
        if (event.mode === 'ok') setTimeout(() => callback(null, { via: 'callback' }), 5);
        else if (event.mode === 'err') callback(new TypeError('nope'));
        else if (event.mode === 'string') callback('plain failure');
        else if (event.mode === 'succeed') context.succeed({ via: 'succeed' });
        else if (event.mode === 'later') setTimeout(() => context.succeed({ via: 'later' }), 30);
        else if (event.mode === 'forgot') return { ignored: true };
        else context.fail(new Error('failed'));
      };`,
    });
    const { rt } = start([fn('cb', dir)]);
    expect(payload(await rt.invoke('cb', { mode: 'ok' }))).toEqual({ via: 'callback' });
    expect(payload(await rt.invoke('cb', { mode: 'succeed' }))).toEqual({ via: 'succeed' });
    expect(payload(await rt.invoke('cb', { mode: 'later' }))).toEqual({ via: 'later' });
    // Never calling back: Lambda answers null once the event loop is empty; a returned value is ignored.
    expect(payload(await rt.invoke('cb', { mode: 'forgot' }))).toBeNull();
    expect(await rt.invoke('cb', { mode: 'err' })).toMatchObject({
      ok: false,
      kind: 'Unhandled',
      errorType: 'TypeError',
      errorMessage: 'nope',
    });
    expect(await rt.invoke('cb', { mode: 'string' })).toMatchObject({
      ok: false,
      kind: 'Unhandled',
      errorType: 'string',
      errorMessage: 'plain failure',
    });
    expect(await rt.invoke('cb', { mode: 'fail' })).toMatchObject({ ok: false, errorMessage: 'failed' });
  });

  it('serialises the result as Lambda does, with JSON', async () => {
    const dir = codeDir({
      'index.mjs': `export const handler = async (e) => e.none ? undefined
        : { when: new Date(0), gone: undefined, fn() {}, n: 1 };`,
    });
    const { rt } = start([fn('json', dir)]);
    expect(payload(await rt.invoke('json', {}))).toEqual({ when: '1970-01-01T00:00:00.000Z', n: 1 });
    expect(payload(await rt.invoke('json', { none: true }))).toBeNull();
  });

  it('answers NotFound for a function the template does not define', async () => {
    const { rt } = start([]);
    expect(await rt.invoke('ghost', {})).toMatchObject({
      ok: false,
      kind: 'NotFound',
      errorType: 'ResourceNotFoundException',
      errorMessage: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:ghost`,
    });
  });

  it('reports a missing module or export as a failed init and tries again on the next invocation', async () => {
    const dir = codeDir({ 'index.mjs': 'export const other = 1;' });
    const { rt } = start([fn('noexport', dir), fn('nomodule', dir, { handler: 'app.handler' })]);
    expect(await rt.invoke('noexport', {})).toMatchObject({
      ok: false,
      kind: 'Crash',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
    expect(await rt.invoke('nomodule', {})).toMatchObject({
      ok: false,
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Cannot find module 'app'",
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/app.mjs`, `export const handler = async () => 'fixed';`);
    expect(payload(await rt.invoke('nomodule', {}))).toBe('fixed');
    expect(rt.stats().functions.nomodule?.workers).toBe(1);
  });

  it('loads new code after reload() and drops functions that are gone', async () => {
    const dir = codeDir({ 'index.mjs': `export const handler = async () => 'v1';` });
    const other = codeDir({ 'index.mjs': `export const handler = async () => 'other';` });
    const { rt } = start([fn('live', dir), fn('old', other)]);
    expect(payload(await rt.invoke('live', {}))).toBe('v1');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/index.mjs`, `export const handler = async () => 'v2';`);
    // Without a reload the warm worker keeps the code it loaded, as a Lambda execution environment does.
    expect(payload(await rt.invoke('live', {}))).toBe('v1');
    rt.reload([fn('live', dir, { environment: { V: '2' } })]);
    const after = await rt.invoke('live', {});
    expect(payload(after)).toBe('v2');
    expect(after.ok && after.coldStart).toBe(true);
    expect(await rt.invoke('old', {})).toMatchObject({ ok: false, kind: 'NotFound' });
  });

  it('fails invocations still running when closed', async () => {
    const dir = codeDir({ 'index.mjs': 'export const handler = () => new Promise(() => {});' });
    const { rt } = start([fn('stuck', dir)]);
    const pending = rt.invoke('stuck', {});
    await vi.waitFor(() => expect(rt.stats().functions.stuck?.invocations).toBe(1), WAIT);
    await rt.close();
    expect(await pending).toMatchObject({ ok: false, kind: 'Crash', errorType: 'Runtime.Closed' });
  });

  it('rejects a nonsensical configuration at construction', () => {
    const dir = codeDir({});
    const base = { log: memoryLogger(), region: REGION, accountId: ACCOUNT };
    expect(() => new LambdaRuntime({ ...base, functions: [], maxConcurrency: 0 })).toThrow(/maxConcurrency/);
    expect(() => new LambdaRuntime({ ...base, functions: [fn('x', dir), fn('x', dir)] })).toThrow(
      /duplicate/,
    );
    expect(() => new LambdaRuntime({ ...base, functions: [fn('x', dir, { timeout: 0 })] })).toThrow(
      /timeout/,
    );
  });

  it('accepts a pino logger', async () => {
    const rt = new LambdaRuntime({
      functions: [],
      log: pino({ level: 'silent' }),
      region: REGION,
      accountId: ACCOUNT,
    });
    await rt.close();
    expect(await rt.invoke('x', {})).toMatchObject({ kind: 'NotFound' });
  });
});
