import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../src/services/apigateway/index.js';
import type { FunctionSpec } from '../../src/services/cloudformation/types.js';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { api, route, stage } from './support/topology.js';

// The gateway with engineer D's real runtime: worker threads, the function's Timeout, crashes.
const silent = { info() {}, warn() {}, error() {} };
let dir: string;
let runtime: LambdaRuntime;
let gw: RunningGateway;
let base: string;

function fn(name: string, handler: string, timeout = 3, memorySize = 128): FunctionSpec {
  return {
    logicalId: name,
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    handler,
    runtime: 'nodejs20.x',
    codeDir: dir,
    timeout,
    memorySize,
    environment: { GREETING: 'hi' },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-gw-rt-'));
  writeFileSync(
    join(dir, 'app.mjs'),
    `export const echo = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' },
       body: JSON.stringify({ greeting: process.env.GREETING, path: event.rawPath, id: event.pathParameters?.id }) });
     export const plain = async () => ({ message: 'inferred' });
     export const boom = async () => { throw new Error('secret failure detail'); };
     export const slow = async () => { await new Promise((r) => setTimeout(r, 2000)); return 'late'; };
     export const crash = async () => { process.exit(3); };
     export const unhandled = async () => { Promise.reject(new Error('nobody listens')); return new Promise(() => {}); };
     export const uncaught = async () => { setTimeout(() => { throw new Error('later'); }, 0); return new Promise(() => {}); };
     export const oom = async () => { const hog = []; for (;;) hog.push({ a: Math.random(), b: 'x'.repeat(64) + hog.length }); };`,
  );
  runtime = new LambdaRuntime({
    functions: [
      fn('echo', 'app.echo'),
      fn('plain', 'app.plain'),
      fn('boom', 'app.boom'),
      fn('slow', 'app.slow', 1),
      fn('crash', 'app.crash'),
      fn('slowIntegration', 'app.slow'),
      fn('unhandled', 'app.unhandled'),
      fn('uncaught', 'app.uncaught'),
      fn('oom', 'app.oom', 20, 32),
    ],
    log: silent,
    region: 'us-east-1',
    accountId: '000000000000',
    consoleSink: () => {},
  });
  const integration = (logicalId: string, functionName: string, timeoutMs = 30000) => ({
    logicalId,
    type: 'AWS_PROXY',
    functionName,
    payloadFormatVersion: '2.0' as const,
    timeoutMs,
  });
  gw = await startGateway({
    apis: [
      api('https://issuer.invalid', {
        stages: [stage('$default')],
        routes: [
          route('GET /echo/{id}', { integrationLogicalId: 'Echo' }),
          route('GET /plain', { integrationLogicalId: 'Plain' }),
          route('GET /boom', { integrationLogicalId: 'Boom' }),
          route('GET /slow', { integrationLogicalId: 'Slow' }),
          route('GET /crash', { integrationLogicalId: 'Crash' }),
          route('GET /integration-timeout', { integrationLogicalId: 'SlowIntegration' }),
          route('GET /unhandled', { integrationLogicalId: 'Unhandled' }),
          route('GET /uncaught', { integrationLogicalId: 'Uncaught' }),
          route('GET /oom', { integrationLogicalId: 'Oom' }),
        ],
        authorizers: [],
        integrations: [
          integration('Echo', 'echo'),
          integration('Plain', 'plain'),
          integration('Boom', 'boom'),
          integration('Slow', 'slow'),
          integration('Crash', 'crash'),
          integration('SlowIntegration', 'slowIntegration', 300),
          integration('Unhandled', 'unhandled'),
          integration('Uncaught', 'uncaught'),
          integration('Oom', 'oom'),
        ],
      }),
    ],
    invoker: runtime,
    clock: systemClock,
    log: silent,
    region: 'us-east-1',
    accountId: '000000000000',
  });
  base = gw.url;
});

afterAll(async () => {
  await gw?.close();
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gateway through the real Lambda runtime', () => {
  it('runs the handler in a worker with the template environment and the payload 2.0 event', async () => {
    const res = await fetch(`${base}/echo/42`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'hi', path: '/echo/42', id: '42' });
  });

  it('infers 200 JSON from a result without statusCode', async () => {
    const res = await fetch(`${base}/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'inferred' });
  });

  it('answers 500 when the handler throws, without the error text', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error"}');
  });

  it('answers 500 when the function runs past its own Timeout', async () => {
    const res = await fetch(`${base}/slow`);
    expect(res.status).toBe(500);
  });

  it('answers 503 when the integration timeout runs out first', async () => {
    const res = await fetch(`${base}/integration-timeout`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('{"message":"Service Unavailable"}');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('answers 500 when the worker dies, and the next request works', async () => {
    expect((await fetch(`${base}/crash`)).status).toBe(500);
    expect((await fetch(`${base}/echo/1`)).status).toBe(200);
  });

  it.each([
    ['an unhandled rejection', 'unhandled'],
    ['an exception thrown from a timer', 'uncaught'],
    ['an out-of-memory', 'oom'],
  ])(
    'answers 500 when a handler dies of %s, and the gateway and the function keep serving',
    async (_, path) => {
      const res = await fetch(`${base}/${path}`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('{"message":"Internal Server Error"}');
      expect(res.headers.get('apigw-requestid')).toBeTruthy();
      expect((await fetch(`${base}/echo/2`)).status).toBe(200);
      // The same function gets a fresh worker: it fails again the same way rather than hanging or 503.
      expect((await fetch(`${base}/${path}`)).status).toBe(500);
    },
  );
});
