import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeSourceError,
  FunctionRegistry,
  LambdaRuntime,
  lambdaApiService,
} from '../../src/services/lambda/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { LambdaStore } from '../../src/store/lambda.js';
import { aws, awsJson, quiet, sdkConfig, startEdge } from '../logs/support.js';
import { ACCOUNT, cleanup, codeDir, fn, REGION } from './helpers.js';

const zip = (files: Record<string, string>) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

const V1 = `exports.handler = async (event, context) => {
  if (event.fail) throw new TypeError('failed on purpose');
  if (event.wait) await new Promise((r) => setTimeout(r, event.wait));
  console.log('v1 handled', JSON.stringify(event));
  return { version: 'v1', stage: process.env.STAGE ?? null, echo: event };
};`;

let dataDir: string;
let store: LambdaStore;
let registry: FunctionRegistry;
let runtime: LambdaRuntime;
let endpoint: string;
let closeEdge: () => Promise<void>;
let client: LambdaClient;
const s3Objects = new Map<string, Uint8Array>();
const clock = new FakeClock(Date.UTC(2026, 5, 1));

function startRegistry(freshDeploy: boolean, functions: ReturnType<typeof fn>[]) {
  return new FunctionRegistry({
    functions,
    store,
    codeRoot: join(dataDir, 'code'),
    clock,
    freshDeploy,
    onChange: (spec) => runtime.update(spec),
  });
}

let stackFunctions: ReturnType<typeof fn>[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-lambda-api-'));
  store = LambdaStore.open(dataDir);
  stackFunctions = [
    fn('api-fn', codeDir({ 'index.js': V1 }), { timeout: 5 }),
    fn('other-fn', codeDir({ 'index.js': V1 })),
    fn('py-fn', codeDir({ 'index.js': V1 })),
  ];
  registry = startRegistry(false, stackFunctions);
  runtime = new LambdaRuntime({
    functions: registry.specs(),
    log: quiet,
    region: REGION,
    accountId: ACCOUNT,
  });
  const e = await startEdge();
  e.edge.register(
    lambdaApiService({
      registry,
      invoker: runtime,
      codeSource: async (bucket, key) => {
        const o = s3Objects.get(`${bucket}/${key}`);
        if (o === undefined) throw new CodeSourceError('NoSuchKey', 'The specified key does not exist.');
        return o;
      },
      region: REGION,
      accountId: ACCOUNT,
      log: quiet,
    }),
  );
  endpoint = e.url;
  closeEdge = e.close;
  client = new LambdaClient(sdkConfig(endpoint));
});

afterAll(async () => {
  client?.destroy();
  await closeEdge?.();
  await runtime?.close();
  store?.close();
  cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = (p: Uint8Array | undefined) => Buffer.from(p ?? new Uint8Array()).toString('utf8');

describe('Lambda API through the SDK v3', () => {
  it('lists, gets and describes functions, paging ListFunctions', async () => {
    const first = await client.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['api-fn', 'other-fn']);
    const rest = await client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    expect(rest.Functions?.map((f) => f.FunctionName)).toEqual(['py-fn']);
    expect(rest.NextMarker).toBeUndefined();
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'api-fn' }));
    expect(got.Configuration).toMatchObject({
      FunctionName: 'api-fn',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:api-fn`,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 5,
      MemorySize: 128,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/api-fn' },
    });
    expect(got.Configuration?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const byArn = await client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:api-fn`,
      }),
    );
    expect(byArn.RevisionId).toBe(got.Configuration?.RevisionId);
  });

  it("answers the service's own errors for missing functions, qualifiers and bad names", async () => {
    await expect(client.send(new GetFunctionCommand({ FunctionName: 'ghost' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:ghost`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(new GetFunctionCommand({ FunctionName: 'api-fn', Qualifier: '7' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:api-fn:7`,
    });
    await expect(client.send(new InvokeCommand({ FunctionName: 'ghost' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'api-fn', Payload: Buffer.from('{not json') })),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    await expect(
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api-fn', Timeout: 10_000 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('invokes synchronously, as an event and as a dry run, with FunctionError and a log tail', async () => {
    const ok = await client.send(
      new InvokeCommand({ FunctionName: 'api-fn', Payload: Buffer.from('{"n":1}'), LogType: 'Tail' }),
    );
    expect(ok.StatusCode).toBe(200);
    expect(ok.FunctionError).toBeUndefined();
    expect(ok.ExecutedVersion).toBe('$LATEST');
    expect(JSON.parse(text(ok.Payload))).toEqual({ version: 'v1', stage: null, echo: { n: 1 } });
    const tail = Buffer.from(ok.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
    expect(tail).toContain('INFO\tv1 handled {"n":1}');
    expect(tail).toMatch(
      /END RequestId: \S+\nREPORT RequestId: \S+\tDuration: [\d.]+ ms\t.*Max Memory Used: \d+ MB/,
    );
    const failed = await client.send(
      new InvokeCommand({ FunctionName: 'api-fn', Payload: Buffer.from('{"fail":true}') }),
    );
    expect(failed.StatusCode).toBe(200);
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(failed.Payload))).toEqual({
      errorType: 'TypeError',
      errorMessage: 'failed on purpose',
      trace: [],
    });
    const event = await client.send(new InvokeCommand({ FunctionName: 'api-fn', InvocationType: 'Event' }));
    expect(event.StatusCode).toBe(202);
    const dry = await client.send(new InvokeCommand({ FunctionName: 'api-fn', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
  });

  it('changes the environment with UpdateFunctionConfiguration and refuses reserved or unsupported members', async () => {
    const updated = await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'other-fn',
        Environment: { Variables: { STAGE: 'prod' } },
        MemorySize: 256,
      }),
    );
    expect(updated).toMatchObject({ LastUpdateStatus: 'InProgress', MemorySize: 256 });
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: 'other-fn' });
    const r = await client.send(new InvokeCommand({ FunctionName: 'other-fn' }));
    expect(JSON.parse(text(r.Payload))).toMatchObject({ stage: 'prod' });
    await expect(
      client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'other-fn',
          Environment: { Variables: { AWS_REGION: 'eu-west-1' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Reserved keys used in this request: AWS_REGION'),
    });
    await expect(
      client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'other-fn',
          Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:shared:1'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'other-fn', RevisionId: 'stale' })),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException' });
  });

  it('swaps the code with UpdateFunctionCode: in-flight calls finish on the old code, the next ones run the new', async () => {
    const before = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'api-fn' }));
    const inFlight = client.send(
      new InvokeCommand({ FunctionName: 'api-fn', Payload: Buffer.from('{"wait":300}') }),
    );
    await new Promise((r) => setTimeout(r, 50));
    const pkg = zip({ 'index.js': `exports.handler = async () => ({ version: 'v2' });` });
    const updated = await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'api-fn', ZipFile: pkg }),
    );
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(updated.CodeSha256).toBe(createHash('sha256').update(pkg).digest('base64'));
    expect(updated.CodeSha256).not.toBe(before.CodeSha256);
    expect(updated.CodeSize).toBe(pkg.length);
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: 'api-fn' });
    const next = await client.send(new InvokeCommand({ FunctionName: 'api-fn' }));
    expect(JSON.parse(text(next.Payload))).toEqual({ version: 'v2' });
    expect(JSON.parse(text((await inFlight).Payload))).toMatchObject({ version: 'v1' });
  });

  it('takes code from an S3 object and refuses missing objects and broken zips', async () => {
    s3Objects.set('bucket/fn.zip', zip({ 'index.js': `exports.handler = async () => 'from s3';` }));
    await client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'api-fn', S3Bucket: 'bucket', S3Key: 'fn.zip' }),
    );
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: 'api-fn' });
    expect(text((await client.send(new InvokeCommand({ FunctionName: 'api-fn' }))).Payload)).toBe(
      '"from s3"',
    );
    await expect(
      client.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'api-fn', S3Bucket: 'bucket', S3Key: 'none.zip' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    });
    await expect(
      client.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'api-fn', ZipFile: Buffer.from('not a zip') }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Could not unzip'),
    });
    await expect(
      client.send(new UpdateFunctionCodeCommand({ FunctionName: 'api-fn' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(
      client.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'api-fn', ZipFile: zip({ '../escape.js': 'x' }) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('keeps updated code across a restart and puts the stack asset back on a fresh deploy', async () => {
    const updated = registry.get('api-fn');
    const restarted = startRegistry(false, stackFunctions);
    expect(restarted.get('api-fn')?.codeSha256).toBe(updated?.codeSha256);
    expect(restarted.get('api-fn')?.spec.codeDir).toBe(updated?.spec.codeDir);
    const redeployed = startRegistry(true, stackFunctions);
    expect(redeployed.get('api-fn')?.spec.codeDir).toBe(stackFunctions[0]?.codeDir);
    expect(redeployed.get('api-fn')?.codeSha256).not.toBe(updated?.codeSha256);
    expect(startRegistry(false, stackFunctions).get('other-fn')?.spec.environment).toEqual({});
  });
});

describe('Lambda API through the aws CLI, with a Python function', () => {
  it('turns a function into the original Python handler and invokes it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
    try {
      writeFileSync(
        join(work, 'fn.zip'),
        zip({
          'main.py': `import json\n\ndef lambda_handler(event, context):\n    if event.get("fail"):\n        raise ValueError("nope")\n    return {"statusCode": 200, "body": json.dumps({"message": "Hello from Lambda!", "fn": context.function_name})}\n`,
        }),
      );
      writeFileSync(join(work, 'event.json'), '{"hello":"world"}');
      writeFileSync(join(work, 'fail.json'), '{"fail":true}');
      await awsJson(
        endpoint,
        [
          'lambda',
          'update-function-configuration',
          '--function-name',
          'py-fn',
          '--runtime',
          'python3.12',
          '--handler',
          'main.lambda_handler',
        ],
        work,
      );
      await awsJson(endpoint, ['lambda', 'wait', 'function-updated', '--function-name', 'py-fn']);
      const code = await awsJson<{ LastUpdateStatus: string; Runtime: string }>(
        endpoint,
        ['lambda', 'update-function-code', '--function-name', 'py-fn', '--zip-file', 'fileb://fn.zip'],
        work,
      );
      expect(code).toMatchObject({ LastUpdateStatus: 'InProgress', Runtime: 'python3.12' });
      await awsJson(endpoint, ['lambda', 'wait', 'function-updated', '--function-name', 'py-fn']);
      const got = await awsJson<{ Configuration: { LastUpdateStatus: string; Handler: string } }>(endpoint, [
        'lambda',
        'get-function',
        '--function-name',
        'py-fn',
      ]);
      expect(got.Configuration).toMatchObject({
        LastUpdateStatus: 'Successful',
        Handler: 'main.lambda_handler',
      });
      const invoked = await awsJson<{ StatusCode: number; LogResult: string }>(
        endpoint,
        [
          'lambda',
          'invoke',
          '--function-name',
          'py-fn',
          '--payload',
          'fileb://event.json',
          '--log-type',
          'Tail',
          'out.json',
        ],
        work,
      );
      expect(invoked.StatusCode).toBe(200);
      expect(JSON.parse(readFileSync(join(work, 'out.json'), 'utf8'))).toEqual({
        statusCode: 200,
        body: '{"message": "Hello from Lambda!", "fn": "py-fn"}',
      });
      expect(Buffer.from(invoked.LogResult, 'base64').toString()).toContain('REPORT RequestId:');
      const failed = await awsJson<{ FunctionError: string }>(
        endpoint,
        ['lambda', 'invoke', '--function-name', 'py-fn', '--payload', 'fileb://fail.json', 'err.json'],
        work,
      );
      expect(failed.FunctionError).toBe('Unhandled');
      expect(JSON.parse(readFileSync(join(work, 'err.json'), 'utf8'))).toMatchObject({
        errorMessage: 'nope',
        errorType: 'ValueError',
      });
      const missing = await aws(endpoint, ['lambda', 'get-function', '--function-name', 'ghost']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('ResourceNotFoundException');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // Ten aws CLI (Python) start-ups: seconds each on a loaded 2-core machine.
  }, 240_000);
});
