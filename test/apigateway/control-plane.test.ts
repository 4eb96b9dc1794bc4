/**
 * The local cloud as a deploy target, with real clients against `npm start -- --empty`: API Gateway v2 resources
 * are served the moment they exist and taken out of service when deleted; conflicts and bad input get each
 * service's own errors (ConflictException, ResourceConflictException, BucketAlreadyOwnedByYou, EntityAlreadyExists).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apigatewayV2, createRouteFunction } from '../helpers/apigateway.js';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const run = promisify(execFile);

describe('API Gateway v2, Lambda, S3 and IAM control planes on an empty local cloud', () => {
  let cloud: RunningCloud;
  let dir: string;
  const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
  const ep = () => cloud.endpoints.awsEndpoint;
  /** API Gateway v2's restJson1 API as the SDK sends it. */
  const call = apigatewayV2(ep, 'eu-west-1');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cp-'));
    // Outside us-east-1, where S3 answers BucketAlreadyOwnedByYou (us-east-1 answers 200 for a bucket you own).
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty', '--region', 'eu-west-1']);
    await createRouteFunction(ep(), 'eu-west-1', 'cp-fn');
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves routes the moment they are created or changed, and stops when they are deleted', async () => {
    const api = await call('POST', '/v2/apis', { name: 'live', protocolType: 'HTTP' });
    expect(api.status).toBe(201);
    const apiId = api.json.apiId as string;
    const endpoint = api.json.apiEndpoint as string;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Read back exactly as written, defaults included.
    expect((await call('GET', `/v2/apis/${apiId}`)).json).toMatchObject({
      name: 'live',
      protocolType: 'HTTP',
      routeSelectionExpression: '$request.method $request.path',
      apiKeySelectionExpression: '$request.header.x-api-key',
      disableExecuteApiEndpoint: false,
      apiEndpoint: endpoint,
    });
    const integ = await call('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:cp-fn',
      payloadFormatVersion: '2.0',
    });
    expect(integ.json).toMatchObject({ timeoutInMillis: 30000, connectionType: 'INTERNET' });
    await call('POST', `/v2/apis/${apiId}/stages`, { stageName: '$default', autoDeploy: true });
    expect((await fetch(`${endpoint}/a`)).status).toBe(404);

    const route = await call('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /a',
      target: `integrations/${integ.json.integrationId}`,
    });
    expect(route.status).toBe(201);
    const served = await fetch(`${endpoint}/a`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ route: 'GET /a' });

    const routeId = route.json.routeId as string;
    await call('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, { routeKey: 'GET /b' });
    expect((await fetch(`${endpoint}/a`)).status).toBe(404);
    expect((await fetch(`${endpoint}/b`)).status).toBe(200);

    // A JWT authorizer attached to the route is enforced at once.
    const authz = await call('POST', `/v2/apis/${apiId}/authorizers`, {
      name: 'jwt',
      authorizerType: 'JWT',
      identitySource: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: 'https://issuer.example', audience: ['x'] },
    });
    await call('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, {
      authorizationType: 'JWT',
      authorizerId: authz.json.authorizerId,
    });
    expect((await fetch(`${endpoint}/b`)).status).toBe(401);

    expect((await call('DELETE', `/v2/apis/${apiId}/routes/${routeId}`)).status).toBe(204);
    expect((await fetch(`${endpoint}/b`)).status).toBe(404);
    expect((await call('DELETE', `/v2/apis/${apiId}`)).status).toBe(204);
    expect((await fetch(`${endpoint}/b`)).status).toBe(404);
  });

  it("answers API Gateway's own errors for conflicts, unknown ids and bad input", async () => {
    const api = await call('POST', '/v2/apis', { name: 'errors', protocolType: 'HTTP' });
    const apiId = api.json.apiId as string;
    const integ = await call('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri: 'arn:aws:lambda:us-east-1:123456789012:function:cp-fn',
    });
    const body = { routeKey: 'GET /x', target: `integrations/${integ.json.integrationId}` };
    await call('POST', `/v2/apis/${apiId}/routes`, body);
    const dup = await call('POST', `/v2/apis/${apiId}/routes`, body);
    expect([dup.status, dup.type]).toEqual([409, 'ConflictException']);
    const missing = await call('GET', '/v2/apis/nosuchapi1');
    expect([missing.status, missing.type]).toEqual([404, 'NotFoundException']);
    const bad = await call('POST', '/v2/apis', { protocolType: 'HTTP' });
    expect([bad.status, bad.type]).toEqual([400, 'BadRequestException']);
    const badTarget = await call('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /y',
      target: 'integrations/nope',
    });
    expect([badTarget.status, badTarget.type]).toEqual([400, 'BadRequestException']);
    const inUse = await call('DELETE', `/v2/apis/${apiId}/integrations/${integ.json.integrationId}`);
    expect([inUse.status, inUse.type]).toEqual([409, 'ConflictException']);
  });

  it('refuses an existing function, an existing bucket and an existing role with their own codes', async () => {
    const lambda = new LambdaClient({ endpoint: ep(), region: 'eu-west-1', credentials: creds });
    const again = lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'cp-fn',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::123456789012:role/cp',
        Code: { ZipFile: zipSync({ 'index.mjs': strToU8('') }) },
      }),
    );
    await expect(again).rejects.toMatchObject({ name: 'ResourceConflictException' });

    const s3 = new S3Client({
      endpoint: ep(),
      region: 'eu-west-1',
      credentials: creds,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'cp-bucket' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'cp-bucket' }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
    });

    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'eu-west-1',
    };
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const args = [
      '--endpoint-url',
      ep(),
      'iam',
      'create-role',
      '--role-name',
      'cp-role',
      '--assume-role-policy-document',
      trust,
    ];
    const created = JSON.parse((await run('aws', args, { env })).stdout) as { Role: { Arn: string } };
    expect(created.Role.Arn).toBe('arn:aws:iam::000000000000:role/cp-role');
    const dup = await run('aws', args, { env }).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(dup).toContain('EntityAlreadyExists');
    const got = JSON.parse(
      (await run('aws', ['--endpoint-url', ep(), 'iam', 'get-role', '--role-name', 'cp-role'], { env }))
        .stdout,
    ) as { Role: { AssumeRolePolicyDocument: unknown; MaxSessionDuration: number } };
    expect(got.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(trust));
    expect(got.Role.MaxSessionDuration).toBe(3600);
  }, 60_000);
});
