/**
 * What the AWS APIs create (Terraform, the aws CLI, the SDKs) is kept under the data dir before it is acknowledged:
 * IAM entities, HTTP APIs with all their parts, functions with their permissions, versions and aliases, S3 bucket
 * sub-resources and log group tags come back identical after kill -9 or a clean stop, beside the stack's own
 * resources, which the CloudFormation engine derives again (never twice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteLogGroupCommand, ListTagsLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { DeleteBucketCorsCommand, GetBucketCorsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import {
  BUCKET,
  type Clients,
  clients,
  createEverything,
  FN,
  GROUP,
  readEverything,
} from './support/controlPlane.js';

/** The stack's function and API, as `npm start` deploys them. */
const STACK_FUNCTION = 'api-backend-demo';

describe('control-plane resources made through the AWS APIs', () => {
  it('come back identical after kill -9 and a restart, beside the stack’s own resources, and still serve', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-durable-kill9-'));
    let cloud: RunningCloud | undefined;
    let c: Clients | undefined;
    try {
      cloud = await startLocalCloud(dataDir);
      c = clients(cloud.endpoints.awsEndpoint);
      const apiId = await createEverything(c, STACK_FUNCTION);
      const before = await readEverything(c, apiId, STACK_FUNCTION);
      const stackApis = cloud.endpoints.apis.map((a) => a.name);
      const apisBefore = (await c.apigw('GET', '/v2/apis')).json.items as { apiId: string; name: string }[];
      expect(apisBefore.map((a) => a.name).sort()).toEqual([...stackApis, 'durable-api'].sort());
      c.destroy();

      expect(await cloud.stop('SIGKILL')).toBeNull();
      // kill -9 leaves the old endpoints.json behind; the restart writes a new one.
      rmSync(join(dataDir, 'endpoints.json'), { force: true });
      cloud = await startLocalCloud(dataDir, ['--no-synth']);
      c = clients(cloud.endpoints.awsEndpoint);

      expect(await readEverything(c, apiId, STACK_FUNCTION)).toEqual(before);
      // The stack's API is derived again by the engine, next to the restored one: each exactly once.
      const apisAfter = (await c.apigw('GET', '/v2/apis')).json.items as { apiId: string; name: string }[];
      expect(apisAfter.map((a) => a.apiId).sort()).toEqual(apisBefore.map((a) => a.apiId).sort());
      const functions = await c.lambda.send(new ListFunctionsCommand({}));
      const names = functions.Functions?.map((f) => f.FunctionName) ?? [];
      expect(names.filter((n) => n === FN || n === STACK_FUNCTION).sort()).toEqual(
        [FN, STACK_FUNCTION].sort(),
      );

      // The restored route is served by the restored function, with its updated configuration.
      const api = await c.apigw('GET', `/v2/apis/${apiId}`);
      const served = await fetch(`${api.json.apiEndpoint as string}/hello`);
      expect(served.status).toBe(200);
      expect(await served.json()).toEqual({ route: 'GET /hello', v: 'two' });
      expect((await fetch(`${api.json.apiEndpoint as string}/secure`)).status).toBe(401);
      const invoked = await c.lambda.send(
        new InvokeCommand({ FunctionName: FN, Payload: Buffer.from('{}') }),
      );
      expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString())).toMatchObject({ statusCode: 200 });
      // And the stack's own API still serves.
      const stackUrl = cloud.endpoints.apis.find((a) => stackApis.includes(a.name))?.url as string;
      expect((await fetch(`${stackUrl}/`)).status).toBe(200);
    } finally {
      c?.destroy();
      await cloud?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);

  it('keep deletions and later changes across a clean stop of an empty cloud', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-durable-empty-'));
    let cloud: RunningCloud | undefined;
    let c: Clients | undefined;
    try {
      cloud = await startLocalCloud(dataDir, ['--empty']);
      c = clients(cloud.endpoints.awsEndpoint);
      const apiId = await createEverything(c);
      // Deleted before the stop: they must stay deleted.
      expect(
        (
          await c.iam('DetachRolePolicy', {
            RoleName: 'durable-role',
            PolicyArn: 'arn:aws:iam::000000000000:policy/durable-policy',
          })
        ).status,
      ).toBe(200);
      expect(
        (await c.iam('DeleteRolePolicy', { RoleName: 'durable-role', PolicyName: 'inline' })).status,
      ).toBe(200);
      expect((await c.iam('DeleteRole', { RoleName: 'durable-role' })).status).toBe(200);
      const gone = await c.apigw('POST', '/v2/apis', { name: 'short-lived', protocolType: 'HTTP' });
      expect((await c.apigw('DELETE', `/v2/apis/${gone.json.apiId as string}`)).status).toBe(204);
      await c.s3.send(new DeleteBucketCorsCommand({ Bucket: BUCKET }));
      await c.lambda.send(new DeleteFunctionCommand({ FunctionName: FN }));
      await c.logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
      c.destroy();

      expect(await cloud.stop('SIGTERM')).toBe(0);
      cloud = await startLocalCloud(dataDir, ['--empty']);
      c = clients(cloud.endpoints.awsEndpoint);

      const role = await c.iam('GetRole', { RoleName: 'durable-role' });
      expect(role.status).toBe(404);
      expect(role.xml).toContain('<Code>NoSuchEntity</Code>');
      // The policy was not deleted: it is there, with its two versions, attached to nothing.
      const policy = await c.iam('GetPolicy', {
        PolicyArn: 'arn:aws:iam::000000000000:policy/durable-policy',
      });
      expect(policy.xml).toContain('<DefaultVersionId>v2</DefaultVersionId>');
      expect(policy.xml).toContain('<AttachmentCount>0</AttachmentCount>');
      const apis = (await c.apigw('GET', '/v2/apis')).json.items as { apiId: string }[];
      expect(apis.map((a) => a.apiId)).toEqual([apiId]);
      await expect(c.s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
        name: 'NoSuchCORSConfiguration',
      });
      await expect(c.lambda.send(new GetFunctionCommand({ FunctionName: FN }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      await expect(c.logs.send(new ListTagsLogGroupCommand({ logGroupName: GROUP }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      // Names freed by a deletion can be taken again.
      expect(
        (
          await c.iam('CreateRole', {
            RoleName: 'durable-role',
            AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
          })
        ).status,
      ).toBe(200);
    } finally {
      c?.destroy();
      await cloud?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
