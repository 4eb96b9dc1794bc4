import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { aws, awsJson, sdkConfig } from '../logs/support.js';

/** The original project's handler, as it was deployed by its CD job. */
const MAIN_PY = `import json

def lambda_handler(event, context):
    print("python saw", event.get("rawPath"))
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"message": "Hello from Lambda!", "runtime": "python"}),
    }
`;

/**
 * `npm start`'s own stack as a deploy target: its CloudFormation outputs, its function turned into the original
 * Python handler through Lambda's API and answering through the HTTP API, the logs of both, and the update
 * surviving `kill -9` until the stack is deployed again.
 */
describe('the local cloud as a deploy target', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-lambda-e2e-'));
  let cloud: RunningCloud;
  const clients = () => {
    const cfg = sdkConfig(cloud.endpoints.awsEndpoint);
    return {
      lambda: new LambdaClient(cfg),
      cfn: new CloudFormationClient(cfg),
      logs: new CloudWatchLogsClient(cfg),
    };
  };
  const apiUrl = () => cloud.endpoints.apis[0]?.url as string;

  beforeAll(async () => {
    cloud = await startLocalCloud(dataDir);
  }, 600_000);
  afterAll(async () => {
    await cloud?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('describes the deployed stack with local outputs, its resources and its template', async () => {
    const { cfn } = clients();
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: 'Gatehouse' }));
    const stack = stacks.Stacks?.[0];
    expect(stack).toMatchObject({ StackName: 'Gatehouse', StackStatus: 'CREATE_COMPLETE' });
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.ApiEndpoint).toBe(apiUrl());
    expect(outputs.FunctionName).toBe('api-backend-demo');
    expect(outputs.UserPoolId).toBe(cloud.endpoints.userPools[0]?.id);
    expect(outputs.Issuer).toBe(cloud.endpoints.userPools[0]?.issuer);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'Nope' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id Nope does not exist',
    });
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'Gatehouse' }));
    const fnResource = resources.StackResourceSummaries?.find(
      (r) => r.ResourceType === 'AWS::Lambda::Function',
    );
    expect(fnResource).toMatchObject({
      PhysicalResourceId: 'api-backend-demo',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    const pool = resources.StackResourceSummaries?.find((r) => r.ResourceType === 'AWS::Cognito::UserPool');
    expect(pool?.PhysicalResourceId).toBe(cloud.endpoints.userPools[0]?.id);
    const described = await cfn.send(
      new DescribeStackResourcesCommand({
        StackName: 'Gatehouse',
        LogicalResourceId: fnResource?.LogicalResourceId,
      }),
    );
    expect(described.StackResources).toHaveLength(1);
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'Gatehouse' }));
    expect(
      JSON.parse(template.TemplateBody ?? '{}').Resources[fnResource?.LogicalResourceId ?? ''],
    ).toMatchObject({
      Type: 'AWS::Lambda::Function',
    });
    const cli = await awsJson<{ Stacks: { Outputs: { OutputKey: string; OutputValue: string }[] }[] }>(
      cloud.endpoints.awsEndpoint,
      ['cloudformation', 'describe-stacks', '--stack-name', 'Gatehouse'],
    );
    expect(cli.Stacks[0]?.Outputs.find((o) => o.OutputKey === 'ApiEndpoint')?.OutputValue).toBe(apiUrl());
    const cliResources = await awsJson<{ StackResourceSummaries: unknown[] }>(cloud.endpoints.awsEndpoint, [
      'cloudformation',
      'list-stack-resources',
      '--stack-name',
      'Gatehouse',
    ]);
    expect(cliResources.StackResourceSummaries.length).toBe(resources.StackResourceSummaries?.length);
    const missing = await aws(cloud.endpoints.awsEndpoint, [
      'cloudformation',
      'get-template',
      '--stack-name',
      'Nope',
    ]);
    expect(missing.stderr).toContain('ValidationError');
  }, 240_000);

  it('runs the original Python handler through the HTTP API after update-function-code, with its logs', async () => {
    const { lambda, logs } = clients();
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'api-backend-demo',
        Runtime: 'python3.12',
        Handler: 'main.lambda_handler',
      }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 60 },
      { FunctionName: 'api-backend-demo' },
    );
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'api-backend-demo',
        ZipFile: zipSync({ 'main.py': strToU8(MAIN_PY) }),
      }),
    );
    await waitUntilFunctionUpdatedV2(
      { client: lambda, maxWaitTime: 60 },
      { FunctionName: 'api-backend-demo' },
    );
    const res = await fetch(`${apiUrl()}/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'Hello from Lambda!', runtime: 'python' });
    await vi.waitFor(
      async () => {
        const fnLogs = await logs.send(
          new FilterLogEventsCommand({ logGroupName: '/aws/lambda/api-backend-demo' }),
        );
        const lines = (fnLogs.events ?? []).map((e) => e.message);
        expect(lines).toContain('python saw /serverless_lambda_stage/');
        expect(lines.some((l) => l?.startsWith('REPORT RequestId:'))).toBe(true);
      },
      { timeout: 10_000, interval: 100 },
    );
    const groups = await awsJson<{ logGroups: { logGroupName: string }[] }>(cloud.endpoints.awsEndpoint, [
      'logs',
      'describe-log-groups',
    ]);
    const accessGroup = groups.logGroups.map((g) => g.logGroupName).find((n) => n.startsWith('/aws/api_gw/'));
    expect(accessGroup).toBeDefined();
    const access = await logs.send(new FilterLogEventsCommand({ logGroupName: accessGroup }));
    expect(
      access.events?.some((e) => e.message?.includes('"status":"200"') || e.message?.includes('200')),
    ).toBe(true);
  });

  it('keeps the updated code through kill -9 and a restart with --no-synth; a forced synth (a fresh deploy) puts the asset back', async () => {
    const before = await clients().lambda.send(new GetFunctionCommand({ FunctionName: 'api-backend-demo' }));
    expect(await cloud.stop('SIGKILL')).toBeNull();
    // kill -9 leaves the old endpoints.json behind; the restart writes a new one.
    rmSync(join(dataDir, 'endpoints.json'), { force: true });
    cloud = await startLocalCloud(dataDir, ['--no-synth']);
    const after = await clients().lambda.send(new GetFunctionCommand({ FunctionName: 'api-backend-demo' }));
    expect(after.Configuration).toMatchObject({
      CodeSha256: before.Configuration?.CodeSha256,
      Runtime: 'python3.12',
      LastUpdateStatus: 'Successful',
    });
    expect(await (await fetch(`${apiUrl()}/`)).json()).toEqual({
      message: 'Hello from Lambda!',
      runtime: 'python',
    });
    await cloud.stop();
    // Nothing changed since the last synth, so a plain start would skip it (and keep the update, as a `cdk deploy`
    // with no changes does): --synth makes it a fresh deploy.
    cloud = await startLocalCloud(dataDir, ['--synth']);
    const redeployed = await clients().lambda.send(
      new GetFunctionCommand({ FunctionName: 'api-backend-demo' }),
    );
    expect(redeployed.Configuration?.Runtime).toMatch(/^nodejs/);
    expect(redeployed.Configuration?.CodeSha256).not.toBe(before.Configuration?.CodeSha256);
  }, 600_000);
});
