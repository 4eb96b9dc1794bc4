import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION, WAIT } from './helpers.js';

// One handler with a failure mode per event; module state shows whether the worker survived.
const HANDLER = `let calls = 0;
export const handler = async (event) => {
  calls++;
  switch (event.mode) {
    case 'hang': return new Promise(() => {});
    case 'spin': for (;;) {}
    case 'big': return 'x'.repeat(6_291_556);
    case 'slow': await new Promise((r) => setTimeout(r, 150)); return 'slow done';
    case 'throw': throw new RangeError('out of range');
    case 'reject': return Promise.reject(new Error('rejected'));
    case 'exit': process.exit(3);
    case 'uncaught': setTimeout(() => { throw new Error('later'); }, 0); return new Promise(() => {});
    case 'unhandled': Promise.reject(new Error('nobody listens')); return new Promise(() => {});
    case 'oom': { const hog = []; for (;;) hog.push({ a: Math.random(), b: [1, 2, 3], c: 'x'.repeat(64) + calls }); }
    default: return { calls };
  }
};`;

const runtimes: LambdaRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  cleanup();
});

function start(over: Parameters<typeof fn>[2] = {}) {
  const log = memoryLogger();
  const lines: string[] = [];
  const rt = new LambdaRuntime({
    functions: [fn('f', codeDir({ 'index.mjs': HANDLER }), { timeout: 0.4, ...over })],
    log,
    region: REGION,
    accountId: ACCOUNT,
    consoleSink: (l) => lines.push(l),
  });
  runtimes.push(rt);
  return { rt, log, lines };
}

async function calls(rt: LambdaRuntime): Promise<{ calls: number; coldStart: boolean }> {
  const r = await rt.invoke('f', {});
  if (!r.ok) throw new Error(`follow-up invocation failed: ${r.errorType}`);
  return { calls: (r.payload as { calls: number }).calls, coldStart: r.coldStart };
}

describe('LambdaRuntime failures', () => {
  it('ends a function that runs past its Timeout and serves the next call from a fresh worker', async () => {
    const { rt, lines } = start();
    const r = await rt.invoke('f', { mode: 'hang' });
    expect(r).toMatchObject({ ok: false, kind: 'Timeout', errorType: 'Sandbox.Timedout' });
    expect(!r.ok && r.errorMessage).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${r.requestId} Task timed out after 0\\.40 seconds$`),
    );
    expect(lines.find((l) => l.startsWith(`REPORT RequestId: ${r.requestId}`))).toMatch(/\tStatus: timeout$/);
    expect(await calls(rt)).toEqual({ calls: 1, coldStart: true });
    expect(rt.stats().functions.f).toMatchObject({ timeouts: 1, workers: 1 });
  });

  it('ends a handler stuck in a synchronous loop at its Timeout', async () => {
    const { rt } = start();
    expect(await rt.invoke('f', { mode: 'spin' })).toMatchObject({ ok: false, kind: 'Timeout' });
    expect(await calls(rt)).toEqual({ calls: 1, coldStart: true });
  });

  it('refuses a response larger than 6 MB as Lambda does and keeps the worker', async () => {
    // Building and serialising 6 MB can take longer than 0.4 s on a loaded machine; this case is about the size.
    const { rt } = start({ timeout: 10 });
    expect(await rt.invoke('f', { mode: 'big' })).toMatchObject({
      ok: false,
      kind: 'Unhandled',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    expect(await calls(rt)).toEqual({ calls: 2, coldStart: false });
  });

  it('answers the caller at its own shorter limit but lets the function finish', async () => {
    const { rt } = start({ timeout: 2 });
    const r = await rt.invoke('f', { mode: 'slow' }, { timeoutMs: 20 });
    expect(r).toMatchObject({ ok: false, kind: 'Timeout', errorType: 'Invoke.Timeout' });
    // The function runs on; its worker is then warm for the next call: nothing was ended.
    await vi.waitFor(() => expect(rt.stats().functions.f?.busy).toBe(0), WAIT);
    expect(await calls(rt)).toEqual({ calls: 2, coldStart: false });
    expect(rt.stats().functions.f).toMatchObject({ timeouts: 0, crashes: 0, coldStarts: 1 });
  });

  it('returns a thrown error or a rejection as Unhandled and keeps the worker warm', async () => {
    const { rt, lines } = start();
    const thrown = await rt.invoke('f', { mode: 'throw' });
    expect(thrown).toMatchObject({
      ok: false,
      kind: 'Unhandled',
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
    expect(await rt.invoke('f', { mode: 'reject' })).toMatchObject({
      kind: 'Unhandled',
      errorMessage: 'rejected',
    });
    expect(await calls(rt)).toEqual({ calls: 3, coldStart: false });
    const invokeError = lines.find((l) => l.includes(`${thrown.requestId}\tERROR\tInvoke Error \t`));
    expect(JSON.parse(invokeError?.split('\t').at(-1) ?? 'null')).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
  });

  it.each([
    ['exit', 'Runtime.ExitError', /Runtime exited with error: exit status 3$/],
    ['uncaught', 'Error', /Error: later$/],
    ['unhandled', 'Runtime.UnhandledPromiseRejection', /Error: nobody listens$/],
  ])('replaces a worker that crashes with %s and the next call works', async (mode, errorType, message) => {
    const { rt, log } = start();
    const r = await rt.invoke('f', { mode });
    expect(r).toMatchObject({ ok: false, kind: 'Crash', errorType });
    expect(!r.ok && r.errorMessage).toMatch(new RegExp(`^RequestId: ${r.requestId} Error: `));
    expect(!r.ok && r.errorMessage).toMatch(message);
    expect(await calls(rt)).toEqual({ calls: 1, coldStart: true });
    expect(rt.stats().functions.f).toMatchObject({ crashes: 1, workers: 1 });
    expect(
      log.entries.some(
        (e) => e.level === 'warn' && (e.obj as { errorType?: string }).errorType === errorType,
      ),
    ).toBe(true);
  });

  it('confines an out-of-memory handler to its own worker', async () => {
    const { rt } = start({ memorySize: 32, timeout: 20 });
    const r = await rt.invoke('f', { mode: 'oom' });
    expect(r).toMatchObject({ ok: false, kind: 'Crash', errorType: 'Runtime.OutOfMemory' });
    expect(await calls(rt)).toEqual({ calls: 1, coldStart: true });
  });

  it('drops a warm worker that crashes between invocations and starts a new one', async () => {
    const { rt } = start();
    const dir = codeDir({
      'index.mjs': `export const handler = async (e) => { if (e.later) setTimeout(() => { throw new Error('late'); }, 0); return 'ok'; };`,
    });
    rt.reload([fn('f', dir)]);
    expect(await rt.invoke('f', { later: true })).toMatchObject({ ok: true, payload: 'ok' });
    await vi.waitFor(() => expect(rt.stats().functions.f?.crashes).toBe(1), WAIT);
    expect(await rt.invoke('f', {})).toMatchObject({ ok: true, payload: 'ok', coldStart: true });
  });
});
