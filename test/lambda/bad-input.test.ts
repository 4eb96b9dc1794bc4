import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudFormationService } from '../../src/services/cloudformation/api/index.js';
import { CloudFormationEngine } from '../../src/services/cloudformation/engine/engine.js';
import { StackStore } from '../../src/services/cloudformation/engine/store.js';
import { FunctionRegistry, LambdaRuntime, lambdaApiService } from '../../src/services/lambda/index.js';
import { createLogsService, type LogsService } from '../../src/services/logs/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { LambdaStore } from '../../src/store/lambda.js';
import { LogsStore } from '../../src/store/logs.js';
import { quiet, startEdge } from '../logs/support.js';
import { ACCOUNT, cleanup, codeDir, fn, REGION } from './helpers.js';

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260601/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

let dataDir: string;
let endpoint: string;
let close: () => Promise<void>;
let runtime: LambdaRuntime;
let logs: LogsService;
let stores: { close(): void }[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bad-input-'));
  const clock = new FakeClock();
  const lambdaStore = LambdaStore.open(dataDir);
  const logsStore = LogsStore.open(dataDir);
  stores = [lambdaStore, logsStore];
  const functions = [fn('f', codeDir({ 'index.js': 'exports.handler = async () => 1;' }))];
  runtime = new LambdaRuntime({ functions, log: quiet, region: REGION, accountId: ACCOUNT });
  const registry = new FunctionRegistry({
    functions,
    store: lambdaStore,
    codeRoot: join(dataDir, 'code'),
    clock,
    freshDeploy: true,
    onChange: (s) => runtime.update(s),
  });
  logs = createLogsService({ store: logsStore, clock, region: REGION, accountId: ACCOUNT });
  const engine = new CloudFormationEngine({
    store: new StackStore(),
    region: REGION,
    accountId: ACCOUNT,
    clock,
    targets: {},
    workDir: dataDir,
    localize: (v) => v,
    log: quiet,
  });
  const e = await startEdge();
  e.edge.register(
    lambdaApiService({
      registry,
      invoker: runtime,
      codeSource: async () => new Uint8Array(),
      region: REGION,
      accountId: ACCOUNT,
      log: quiet,
    }),
  );
  e.edge.register(logs.service);
  e.edge.register(cloudFormationService({ engine, targets: {}, localize: (v) => v }));
  endpoint = e.url;
  close = e.close;
});

afterAll(async () => {
  await close?.();
  await runtime?.close();
  logs?.close();
  for (const s of stores ?? []) s.close();
  cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, init: RequestInit & { headers: Record<string, string> }) {
  const res = await fetch(`${endpoint}${path}`, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('bad input gets each service its own error, never a 500', () => {
  it.each([
    [
      'malformed JSON',
      'PUT',
      '/2015-03-31/functions/f/configuration',
      '{"Timeout":',
      400,
      'InvalidRequestContentException',
    ],
    ['a mistyped member', 'PUT', '/2015-03-31/functions/f/configuration', '{"Timeout":"long"}', 400, ''],
    [
      'an unknown operation',
      'POST',
      '/2015-03-31/functions/f/nothing',
      '{}',
      404,
      'UnknownOperationException',
    ],
    ['a missing function', 'GET', '/2015-03-31/functions/ghost', undefined, 404, 'ResourceNotFoundException'],
    [
      'an Invoke payload over 6 MB',
      'POST',
      '/2015-03-31/functions/f/invocations',
      `"${'x'.repeat(6_291_456)}"`,
      413,
      'RequestTooLargeException',
    ],
  ])('Lambda: %s', async (_what, method, path, body, status, code) => {
    const r = await call(path, {
      method,
      headers: { authorization: scope('lambda') },
      ...(body ? { body } : {}),
    });
    expect(r.status).toBe(status);
    if (code) expect(r.headers.get('x-amzn-errortype')).toBe(code);
    else expect(r.headers.get('x-amzn-errortype')).toMatch(/Exception$/);
    expect(JSON.parse(r.text).message).toEqual(expect.any(String));
    expect(r.text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it.each([
    ['malformed JSON', 'Logs_20140328.CreateLogGroup', '{"logGroupName":', 'SerializationException'],
    ['an unknown operation', 'Logs_20140328.MakeCoffee', '{}', 'UnknownOperationException'],
    ['a missing member', 'Logs_20140328.CreateLogGroup', '{}', 'InvalidParameterException'],
    [
      'a mistyped member',
      'Logs_20140328.PutRetentionPolicy',
      '{"logGroupName":"/x","retentionInDays":"a week"}',
      '',
    ],
    [
      'a name out of pattern',
      'Logs_20140328.CreateLogGroup',
      '{"logGroupName":"bad name!"}',
      'InvalidParameterException',
    ],
  ])('CloudWatch Logs: %s', async (_what, target, body, code) => {
    const r = await call('/', {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body,
    });
    expect(r.status).toBe(400);
    const doc = JSON.parse(r.text) as { __type: string; message: string };
    if (code) expect(doc.__type).toBe(code);
    else expect(doc.__type).toMatch(/Exception$/);
    expect(doc.message).toEqual(expect.any(String));
  });

  it.each([
    ['an unknown action', 'Action=MakeCoffee&Version=2010-05-15', 'InvalidAction'],
    [
      'a stack it does not have',
      'Action=DescribeStacks&Version=2010-05-15&StackName=Other',
      'ValidationError',
    ],
  ])('CloudFormation: %s', async (_what, body, code) => {
    const r = await call('/', {
      method: 'POST',
      headers: {
        authorization: scope('cloudformation'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.text).toContain(`<Code>${code}</Code>`);
  });
});
