/**
 * A stack's AWS::Lambda::Function and AWS::Lambda::Permission are Lambda's own: created through Lambda's internal
 * operations, read back equal through Lambda's API (GetFunction, GetPolicy, ListTags), updated in place property by
 * property, kept through `kill -9` and a restart with nothing re-applied, and gone with the stack. A hotswap
 * (UpdateFunctionCode) stays until a change set changes the function's code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

let dir: string;
let cloud: RunningCloud;
let cfn: CloudFormationClient;
let lambda: LambdaClient;
const wait = { maxWaitTime: 120, minDelay: 1, maxDelay: 1 };
const STACK = 'fns';

const source = (greeting: string) =>
  `exports.handler = async (event) => ({ greeting: '${greeting}', who: event.who, level: process.env.LEVEL });`;

/** One function with inline code and a permission on it; `change` edits the function's properties. */
const template = (change: (props: Record<string, unknown>) => void = () => {}) => {
  const props: Record<string, unknown> = {
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: 'arn:aws:iam::000000000000:role/fns-role',
    Description: 'says hello',
    Timeout: 5,
    MemorySize: 256,
    Environment: { Variables: { LEVEL: 'one' } },
    Tags: [{ Key: 'team', Value: 'blue' }],
    Code: { ZipFile: source('hello') },
  };
  change(props);
  return JSON.stringify({
    Resources: {
      Greeter: { Type: 'AWS::Lambda::Function', Properties: props },
      Invoke: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          FunctionName: { 'Fn::GetAtt': ['Greeter', 'Arn'] },
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/hello',
        },
      },
    },
  });
};

const clients = () => {
  const config = {
    endpoint: cloud.endpoints.awsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  };
  cfn?.destroy();
  lambda?.destroy();
  cfn = new CloudFormationClient(config);
  lambda = new LambdaClient(config);
};

const physicalIds = async () =>
  Object.fromEntries(
    ((await cfn.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries ?? []).map(
      (r) => [r.LogicalResourceId, r.PhysicalResourceId],
    ),
  );

const update = async (body: string) => {
  await cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: body }));
  await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: STACK });
};

const invoke = async (name: string) => {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ who: 'Ada' })) }),
  );
  return JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as Record<string, unknown>;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cfn-lambda-'));
  cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
  clients();
}, 120_000);

afterAll(async () => {
  cfn?.destroy();
  lambda?.destroy();
  await cloud?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a stack's functions and permissions are Lambda's own", () => {
  let name: string;
  let statementId: string;

  it('creates them through Lambda: GetFunction, ListFunctions, GetPolicy and Invoke see what the template says', async () => {
    await cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody: template() }));
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: STACK });
    const ids = await physicalIds();
    name = ids.Greeter as string;
    statementId = ids.Invoke as string;
    expect(name).toMatch(/^fns-Greeter-[A-Za-z0-9]{12}$/);
    const f = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(f.Configuration).toMatchObject({
      FunctionName: name,
      FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/fns-role',
      Description: 'says hello',
      Timeout: 5,
      MemorySize: 256,
      Environment: { Variables: { LEVEL: 'one' } },
      State: 'Active',
    });
    expect(f.Tags).toEqual({
      team: 'blue',
      'aws:cloudformation:stack-name': STACK,
      'aws:cloudformation:stack-id': expect.stringMatching(/^arn:aws:cloudformation:.*:stack\/fns\//),
      'aws:cloudformation:logical-id': 'Greeter',
    });
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((x) => x.FunctionName)).toContain(name);
    const policy = JSON.parse(
      (await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy ?? '{}',
    ) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Sid: statementId,
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Condition: {
          ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/*/hello' },
        },
      }),
    ]);
    expect(await invoke(name)).toEqual({ greeting: 'hello', who: 'Ada', level: 'one' });
  }, 180_000);

  it('an update that changes one property changes exactly that; the code and the name stay', async () => {
    const before = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
    await update(template((p) => (p.Environment = { Variables: { LEVEL: 'two' } })));
    const after = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
    expect(after).toEqual({
      ...before,
      Environment: { Variables: { LEVEL: 'two' } },
      LastModified: after?.LastModified,
      RevisionId: after?.RevisionId,
    });
    expect((await physicalIds()).Greeter).toBe(name);
    expect(await invoke(name)).toEqual({ greeting: 'hello', who: 'Ada', level: 'two' });
  }, 120_000);

  /** What `cdk deploy --hotswap` does: UpdateFunctionCode with a new greeting, then the waiter. */
  const hotswap = async (greeting: string) => {
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: zipSync({ 'index.js': strToU8(source(greeting)) }),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  };

  it('a hotswap (UpdateFunctionCode) stays through an update that leaves Code alone; a change of Code replaces it', async () => {
    await hotswap('hotswapped');
    const swapped = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
    expect(await invoke(name)).toMatchObject({ greeting: 'hotswapped' });
    const level2 = (p: Record<string, unknown>) => (p.Environment = { Variables: { LEVEL: 'two' } });
    await update(
      template((p) => {
        level2(p);
        p.Timeout = 7;
      }),
    );
    const kept = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
    expect(kept).toMatchObject({ Timeout: 7, CodeSha256: swapped?.CodeSha256 });
    expect(await invoke(name)).toMatchObject({ greeting: 'hotswapped' });
    await update(
      template((p) => {
        level2(p);
        p.Timeout = 7;
        p.Code = { ZipFile: source('redeployed') };
      }),
    );
    const replaced = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
    expect(replaced?.CodeSha256).not.toBe(swapped?.CodeSha256);
    expect(await invoke(name)).toEqual({ greeting: 'redeployed', who: 'Ada', level: 'two' });
  }, 180_000);

  it('serves them unchanged after kill -9 and a restart, a hotswap included', async () => {
    await hotswap('swapped again');
    const before = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    const policy = (await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy;
    expect(await cloud.stop('SIGKILL')).toBeNull();
    rmSync(join(dir, 'data', 'endpoints.json'), { force: true });
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
    clients();
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(after.Configuration).toEqual(before.Configuration);
    expect(after.Tags).toEqual(before.Tags);
    expect((await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy).toBe(policy);
    expect(await invoke(name)).toEqual({ greeting: 'swapped again', who: 'Ada', level: 'two' });
  }, 180_000);

  it('deletes them with the stack', async () => {
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: STACK });
    const gone = await lambda.send(new GetFunctionCommand({ FunctionName: name })).catch((e: Error) => e);
    expect((gone as Error).name).toBe('ResourceNotFoundException');
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((x) => x.FunctionName)).not.toContain(name);
  }, 120_000);
});

describe('a refusal by Lambda', () => {
  it("fails the resource with Lambda's message and rolls the stack back", async () => {
    const body = JSON.stringify({
      Resources: {
        Orphan: {
          Type: 'AWS::Lambda::Permission',
          Properties: { FunctionName: 'no-such-function', Action: 'lambda:InvokeFunction', Principal: '*' },
        },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'orphan', TemplateBody: body }));
    const failed = await waitUntilStackCreateComplete(
      { client: cfn, ...wait },
      { StackName: 'orphan' },
    ).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    const events =
      (await cfn.send(new DescribeStackEventsCommand({ StackName: 'orphan' }))).StackEvents ?? [];
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe(
      'Resource handler returned message: "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function" (Service: Lambda, Status Code: 404, Error Code: ResourceNotFoundException)',
    );
    expect(events[0]?.ResourceStatus).toBe('ROLLBACK_COMPLETE');
  }, 120_000);
});
