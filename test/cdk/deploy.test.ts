/**
 * The project's stack deployed, updated, hotswapped, diffed and destroyed with the real CDK CLI (devDependencies)
 * into `npm start -- --empty`, and the original demo run through the deployed outputs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, type RunningCloud, secretHash, startLocalCloud } from '../helpers/local-cloud.js';
import { cdk, functionAsset, synthProject, withCode, withTemplate } from './support.js';

const STACK = 'Gatehouse';
const STEP = 240_000;
let dir: string;
let cloud: RunningCloud;
let endpoint: string;
let synthDir: string;
let cfn: CloudFormationClient;
const sdk = (e: string) => ({
  endpoint: e,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cdk-'));
  cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
  endpoint = cloud.endpoints.awsEndpoint;
  cfn = new CloudFormationClient(sdk(endpoint));
  synthDir = join(dir, 'synth');
  await synthProject(endpoint, dir, synthDir);
}, STEP);

afterAll(async () => {
  cfn?.destroy();
  await cloud?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const outputs = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>)[STACK] as Record<
    string,
    string
  >;
let out: Record<string, string>;

describe('cdk deploy into the empty local cloud', () => {
  it(
    'starts bootstrapped, and cdk bootstrap updates the bootstrap stack and is idempotent',
    async () => {
      const before = (await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks?.[0];
      expect(before?.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue).toBe('33');
      const first = await cdk(endpoint, dir, ['bootstrap', 'aws://000000000000/us-east-1']);
      expect(first.output).toContain('Environment aws://000000000000/us-east-1 bootstrapped.');
      const second = await cdk(endpoint, dir, ['bootstrap', 'aws://000000000000/us-east-1']);
      expect(second.output).toContain('bootstrapped (no changes)');
      expect(second.code).toBe(0);
    },
    STEP,
  );

  it(
    'deploys the project stack (CREATE through a change set) and reports its outputs',
    async () => {
      const before = await cfn.send(new DescribeStacksCommand({ StackName: STACK })).catch((e: Error) => e);
      expect(String(before)).toContain(`Stack with id ${STACK} does not exist`);
      const r = await cdk(endpoint, dir, [
        'deploy',
        '--app',
        synthDir,
        '--require-approval',
        'never',
        '--outputs-file',
        join(dir, 'out.json'),
      ]);
      expect(r.output).toContain(`✅  ${STACK}`);
      expect(r.code).toBe(0);
      out = outputs(join(dir, 'out.json'));
      expect(out.ApiEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/serverless_lambda_stage$/);
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents ?? [];
      expect(
        events.some(
          (e) => e.ResourceType === 'AWS::Cognito::UserPool' && e.ResourceStatus === 'CREATE_COMPLETE',
        ),
      ).toBe(true);
    },
    STEP,
  );

  it(
    'runs the demo through the outputs: sign up, confirm with the mailed code, token, /person',
    async () => {
      const cognito = new CognitoIdentityProviderClient(sdk(endpoint));
      try {
        const clientId = out.UserPoolClientId as string;
        const described = await cognito.send(
          new DescribeUserPoolClientCommand({ UserPoolId: out.UserPoolId, ClientId: clientId }),
        );
        const secret = described.UserPoolClient?.ClientSecret as string;
        const email = 'ada@example.com';
        const password = 'Correct-Horse-9!';
        const hash = secretHash(email, clientId, secret);
        await cognito.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: password,
            SecretHash: hash,
            UserAttributes: [{ Name: 'email', Value: email }],
          }),
        );
        const code = await latestCode(cloud.endpoints.inboxUrl, email);
        await cognito.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: email,
            ConfirmationCode: code,
            SecretHash: hash,
          }),
        );
        const auth = await cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash },
          }),
        );
        const token = auth.AuthenticationResult?.AccessToken as string;
        const res = await fetch(`${out.ApiEndpoint}/person`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('[GET METHOD]');
        expect((await fetch(`${out.ApiEndpoint}/person`)).status).toBe(401);
      } finally {
        cognito.destroy();
      }
    },
    STEP,
  );

  it(
    'diffs, then updates in place with a change set that lists exactly the new route',
    async () => {
      const changed = withTemplate(synthDir, join(dir, 'with-route'), STACK, (t) => {
        const any = t.Resources.HttpApiANY7B3CD14C as { Properties: Record<string, unknown> };
        t.Resources.HttpApiPATCHperson0A1B2C3D = {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ...any.Properties, RouteKey: 'PATCH /person' },
        };
      });
      const diff = await cdk(endpoint, dir, ['diff', '--app', changed]);
      expect(diff.output).toMatch(/\[\+\] AWS::ApiGatewayV2::Route HttpApiPATCHperson0A1B2C3D/);
      const review = await cdk(endpoint, dir, [
        'deploy',
        '--app',
        changed,
        '--require-approval',
        'never',
        '--no-execute',
        '--change-set-name',
        'add-route',
      ]);
      expect(review.code).toBe(0);
      const cs = await cfn.send(
        new DescribeChangeSetCommand({ StackName: STACK, ChangeSetName: 'add-route' }),
      );
      expect(cs.Status).toBe('CREATE_COMPLETE');
      expect(cs.Changes?.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId])).toEqual(
        [['Add', 'HttpApiPATCHperson0A1B2C3D']],
      );
      // Before: no such route, API Gateway's own 404; after: the handler answers (405, it serves GET..DELETE).
      expect((await fetch(`${out.ApiEndpoint}/person`, { method: 'PATCH' })).status).toBe(404);
      const r = await cdk(endpoint, dir, ['deploy', '--app', changed, '--require-approval', 'never']);
      expect(r.code).toBe(0);
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(stack?.StackStatus).toBe('UPDATE_COMPLETE');
      const health = await fetch(`${out.ApiEndpoint}/health`);
      expect(health.status).toBe(404);
      expect(await health.json()).toEqual({ message: 'Not Found' });
      expect(health.headers.get('apigw-requestid')).toBeTruthy();
      const again = await cdk(endpoint, dir, ['deploy', '--app', changed, '--require-approval', 'never']);
      expect(again.code).toBe(0);
      expect(again.output).toContain('no changes');
      synthDir = changed;
    },
    STEP,
  );

  it(
    'hotswaps a handler change: the running API answers with the new code',
    async () => {
      const asset = functionAsset(synthDir, STACK, 'ApiFunction');
      const changed = withCode(
        synthDir,
        join(dir, 'hotswap'),
        asset,
        'index.mjs',
        'Hello from Gatehouse!',
        'Hello from the hotswapped Gatehouse!',
      );
      const before = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      const r = await cdk(endpoint, dir, [
        'deploy',
        '--app',
        changed,
        '--hotswap',
        '--require-approval',
        'never',
      ]);
      expect(r.output).toMatch(/hotswap/i);
      expect(r.code).toBe(0);
      const res = await fetch(`${out.ApiEndpoint}/`);
      expect(await res.text()).toContain('Hello from the hotswapped Gatehouse!');
      // CloudFormation was skipped: the stack was not updated.
      const after = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(after?.LastUpdatedTime).toEqual(before?.LastUpdatedTime);
      expect(after?.StackStatus).toBe('UPDATE_COMPLETE');
    },
    STEP,
  );

  it(
    "destroys the stack: CDK's auto-delete handler empties the bucket, the stack and the API are gone",
    async () => {
      const resources = await cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
      const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0]?.StackId;
      const bucket = resources.StackResourceSummaries?.find((x) => x.ResourceType === 'AWS::S3::Bucket')
        ?.PhysicalResourceId as string;
      const s3 = new S3Client({ ...sdk(endpoint), forcePathStyle: true });
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'left/behind.txt', Body: 'x' }));
        const r = await cdk(endpoint, dir, ['destroy', '--app', synthDir, '--force']);
        expect(r.output).toContain('destroyed');
        // Only the handler empties it: a bucket with an object left in it cannot be deleted.
        const head = await s3.send(new HeadBucketCommand({ Bucket: bucket })).catch((e: Error) => e);
        expect((head as Error).name).toBe('NotFound');
      } finally {
        s3.destroy();
      }
      // The handler's own run is in the stack's events (a deleted stack is found by its id).
      const events =
        (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents ?? [];
      expect(
        events.some(
          (e) => e.ResourceType === 'Custom::S3AutoDeleteObjects' && e.ResourceStatus === 'DELETE_COMPLETE',
        ),
      ).toBe(true);
      const after = await cfn.send(new DescribeStacksCommand({ StackName: STACK })).catch((e: Error) => e);
      expect(String(after)).toContain(`Stack with id ${STACK} does not exist`);
      const gone = await fetch(`${out.ApiEndpoint}/`).then(
        (x) => x.status,
        () => 'refused',
      );
      expect(gone === 'refused' || gone === 404).toBe(true);
    },
    STEP,
  );

  it(
    'refuses a resource type the local cloud does not support, naming the type and the logical id',
    async () => {
      const changed = withTemplate(synthDir, join(dir, 'unsupported'), STACK, (t) => {
        t.Resources.Queue4A7E3555 = { Type: 'AWS::SQS::Queue', Properties: {} };
      });
      const r = await cdk(endpoint, dir, ['deploy', '--app', changed, '--require-approval', 'never']);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('AWS::SQS::Queue (Queue4A7E3555)');
      // As in AWS, the failed CREATE change set leaves the new stack in review, with nothing created.
      const after = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(after?.StackStatus).toBe('REVIEW_IN_PROGRESS');
      const resources = await cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
      expect(resources.StackResourceSummaries).toEqual([]);
    },
    STEP,
  );

  it(
    'rolls back a deploy whose custom resource handler fails, reports the resource and reason, then deploys fixed',
    async () => {
      const failing = withTemplate(synthDir, join(dir, 'failing'), STACK, (t) => {
        t.Resources.RefuserProvider = {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Role: 'arn:aws:iam::000000000000:role/refuser',
            Code: {
              ZipFile: `exports.handler = async (event) => {
  const body = JSON.stringify({
    Status: 'FAILED', Reason: 'the refuser refuses', PhysicalResourceId: 'refused',
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
};`,
            },
          },
        };
        t.Resources.Refuser = {
          Type: 'Custom::Refuser',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['RefuserProvider', 'Arn'] } },
        };
      });
      const r = await cdk(endpoint, dir, ['deploy', '--app', failing, '--require-approval', 'never']);
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/CREATE_FAILED\s*\|\s*Custom::Refuser\s*\|\s*Refuser/);
      expect(r.output).toContain('Message returned: the refuser refuses');
      expect(r.output).toContain('ROLLBACK_COMPLETE');
      const failed = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(failed?.StackStatus).toBe('ROLLBACK_COMPLETE');
      expect(
        (await cfn.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries,
      ).toEqual([]);
      // The CLI deletes the rolled-back stack and creates it again.
      const fixed = await cdk(endpoint, dir, ['deploy', '--app', synthDir, '--require-approval', 'never']);
      expect(fixed.code).toBe(0);
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
      expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
      const api = stack?.Outputs?.find((o) => o.OutputKey === 'ApiEndpoint')?.OutputValue as string;
      // Created afresh from the template's code (the hotswap before changed only the running function).
      expect(await (await fetch(`${api}/`)).text()).toContain('Hello from Gatehouse!');
    },
    STEP,
  );
});
