/**
 * Published versions and aliases run, with SDK v3 against `npm start -- --empty`: a version keeps the code and
 * configuration it was published with, an alias runs its version, an unknown qualifier is
 * ResourceNotFoundException, and an API Gateway integration whose IntegrationUri is a qualified ARN invokes that
 * alias.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apigatewayV2 } from '../helpers/apigateway.js';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { aws, awsJson } from '../logs/support.js';

/** A handler that says which code it is, which version runs it and what its configuration holds. */
const code = (tag: string) =>
  zipSync({
    'index.mjs': strToU8(
      `export const handler = async () => ({ code: '${tag}', version: process.env.AWS_LAMBDA_FUNCTION_VERSION, color: process.env.COLOR ?? null });`,
    ),
  });

describe('Lambda versions and aliases', () => {
  let cloud: RunningCloud;
  let dir: string;
  let lambda: LambdaClient;
  /** The function's ARN (the empty cloud's account). */
  let ARN: string;
  const invoke = async (FunctionName: string, Qualifier?: string) => {
    const r = await lambda.send(new InvokeCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }));
    return { executed: r.ExecutedVersion, body: JSON.parse(Buffer.from(r.Payload ?? []).toString()) };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-ver-'));
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
    lambda = new LambdaClient({
      endpoint: cloud.endpoints.awsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'ver-fn',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::123456789012:role/ver',
        Code: { ZipFile: code('one') },
        Environment: { Variables: { COLOR: 'red' } },
      }),
    );
    ARN = created.FunctionArn as string;
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a published version with the code and configuration it was published with', async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver-fn' }));
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${ARN}:1` });

    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'ver-fn', ZipFile: code('two') }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'ver-fn' });
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'ver-fn',
        Environment: { Variables: { COLOR: 'blue' } },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'ver-fn' });

    expect(await invoke('ver-fn')).toEqual({
      executed: '$LATEST',
      body: { code: 'two', version: '$LATEST', color: 'blue' },
    });
    const old = { executed: '1', body: { code: 'one', version: '1', color: 'red' } };
    expect(await invoke('ver-fn', '1')).toEqual(old);
    expect(await invoke(`${ARN}:1`)).toEqual(old);
    expect(await invoke('ver-fn:1')).toEqual(old);

    // Publishing again snapshots the new code; nothing changed since, so a third publish returns version 2.
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'ver-fn' }));
    expect(v2.Version).toBe('2');
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'ver-fn' }))).Version).toBe('2');
    expect(await invoke('ver-fn', '2')).toEqual({
      executed: '2',
      body: { code: 'two', version: '2', color: 'blue' },
    });
    const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver-fn' }));
    expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
  });

  it('runs the version an alias points at, and follows the alias when it moves', async () => {
    const alias = await lambda.send(
      new CreateAliasCommand({ FunctionName: 'ver-fn', Name: 'live', FunctionVersion: '1' }),
    );
    expect(alias).toMatchObject({ AliasArn: `${ARN}:live`, FunctionVersion: '1' });
    expect(await invoke('ver-fn', 'live')).toMatchObject({ executed: '1', body: { code: 'one' } });
    expect(await invoke(`${ARN}:live`)).toMatchObject({ executed: '1', body: { code: 'one' } });

    await lambda.send(new UpdateAliasCommand({ FunctionName: 'ver-fn', Name: 'live', FunctionVersion: '2' }));
    expect(await invoke('ver-fn:live')).toMatchObject({ executed: '2', body: { code: 'two' } });
  });

  it("applies an alias's RoutingConfig at Invoke: a weight of 1 sends every invocation to the additional version", async () => {
    const routing = { AdditionalVersionWeights: { '2': 1 } };
    const canary = await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'ver-fn',
        Name: 'canary',
        FunctionVersion: '1',
        RoutingConfig: routing,
      }),
    );
    expect(canary.RoutingConfig).toEqual(routing);
    for (let i = 0; i < 3; i++) {
      expect(await invoke('ver-fn', 'canary')).toMatchObject({
        executed: '2',
        body: { code: 'two', version: '2' },
      });
    }
    // Weight 0: none do.
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'ver-fn',
        Name: 'canary',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0 } },
      }),
    );
    expect(await invoke('ver-fn:canary')).toMatchObject({
      executed: '1',
      body: { code: 'one', version: '1' },
    });

    // Lambda's rules for a weighted alias: one more version, published, not the alias's own.
    const refused = async (FunctionVersion: string, weights: Record<string, number>) =>
      lambda
        .send(
          new CreateAliasCommand({
            FunctionName: 'ver-fn',
            Name: 'bad-routing',
            FunctionVersion,
            RoutingConfig: { AdditionalVersionWeights: weights },
          }),
        )
        .then(
          () => 'created',
          (e: Error) => e.name,
        );
    expect(await refused('1', { '2': 0.1, '3': 0.1 })).toBe('InvalidParameterValueException');
    expect(await refused('$LATEST', { '2': 0.1 })).toBe('InvalidParameterValueException');
    expect(await refused('1', { '1': 0.1 })).toBe('InvalidParameterValueException');
    expect(await refused('1', { '9': 0.1 })).toBe('ResourceNotFoundException');
    await expect(
      lambda.send(new UpdateAliasCommand({ FunctionName: 'ver-fn', Name: 'canary', FunctionVersion: '2' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    // A refused update changes nothing.
    expect(await invoke('ver-fn:canary')).toMatchObject({ executed: '1' });
  });

  it('GetFunction and GetFunctionConfiguration read a version, or the version an alias points at (SDK v3)', async () => {
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver-fn' }));
    const v1 = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'ver-fn', Qualifier: '1' }),
    );
    expect(v1).toMatchObject({
      FunctionName: 'ver-fn',
      FunctionArn: `${ARN}:1`,
      Version: '1',
      Environment: { Variables: { COLOR: 'red' } },
      Role: 'arn:aws:iam::123456789012:role/ver',
    });
    expect(v1.CodeSha256).not.toBe(latest.CodeSha256);
    // `name:version` and the qualified ARN are the same read.
    for (const FunctionName of ['ver-fn:1', `${ARN}:1`]) {
      const again = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
      expect(again).toMatchObject({ Version: '1', FunctionArn: `${ARN}:1`, CodeSha256: v1.CodeSha256 });
    }
    const fn2 = await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}:2` }));
    expect(fn2.Configuration).toMatchObject({ Version: '2', Environment: { Variables: { COLOR: 'blue' } } });
    expect(fn2.Configuration?.CodeSha256).toBe(latest.CodeSha256);
    // An alias reads as the version it points at, under the alias's ARN ('live' points at 2 now).
    const live = await lambda.send(new GetFunctionCommand({ FunctionName: 'ver-fn', Qualifier: 'live' }));
    expect(live.Configuration).toMatchObject({ Version: '2', FunctionArn: `${ARN}:live` });
    const unqualified = await lambda.send(new GetFunctionCommand({ FunctionName: 'ver-fn' }));
    expect(unqualified.Configuration).toMatchObject({ Version: '$LATEST', FunctionArn: ARN });
    // A qualified name and a Qualifier that disagree are refused.
    await expect(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver-fn:1', Qualifier: '2' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('the aws CLI reads versions and aliases the same way, and gets ResourceNotFoundException for a missing one', async () => {
    const endpoint = cloud.endpoints.awsEndpoint;
    const byQualifier = await awsJson(endpoint, [
      'lambda',
      'get-function-configuration',
      '--function-name',
      'ver-fn',
      '--qualifier',
      '1',
    ]);
    expect(byQualifier).toMatchObject({ Version: '1', FunctionArn: `${ARN}:1` });
    const byName = await awsJson<{ Configuration: Record<string, unknown> }>(endpoint, [
      'lambda',
      'get-function',
      '--function-name',
      'ver-fn:live',
    ]);
    expect(byName.Configuration).toMatchObject({ Version: '2', FunctionArn: `${ARN}:live` });
    const missing = await aws(endpoint, [
      'lambda',
      'get-function',
      '--function-name',
      'ver-fn',
      '--qualifier',
      '9',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      `(ResourceNotFoundException) when calling the GetFunction operation: Function not found: ${ARN}:9`,
    );
  });

  it('answers ResourceNotFoundException for a version or alias that does not exist', async () => {
    for (const read of [
      { FunctionName: 'ver-fn', Qualifier: '9' },
      { FunctionName: 'ver-fn:nope' },
      { FunctionName: `${ARN}:9` },
    ]) {
      const q = read.Qualifier ?? read.FunctionName.split(':').at(-1);
      await expect(lambda.send(new GetFunctionConfigurationCommand(read))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: `Function not found: ${ARN}:${q}`,
      });
      await expect(lambda.send(new GetFunctionCommand(read))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    }
    await expect(invoke('ver-fn', '9')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:9`,
    });
    await expect(invoke(`${ARN}:nope`)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:nope`,
    });
    await expect(
      lambda.send(new CreateAliasCommand({ FunctionName: 'ver-fn', Name: 'bad', FunctionVersion: '9' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('an API Gateway integration to an alias ARN invokes the alias, by its routing weights', async () => {
    const call = apigatewayV2(() => cloud.endpoints.awsEndpoint);
    await lambda.send(new CreateAliasCommand({ FunctionName: 'ver-fn', Name: 'old', FunctionVersion: '1' }));
    const api = (await call('POST', '/v2/apis', { name: 'alias-api', protocolType: 'HTTP' })).json;
    const integ = await call('POST', `/v2/apis/${api.apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${ARN}:old/invocations`,
      payloadFormatVersion: '2.0',
    });
    await call('POST', `/v2/apis/${api.apiId}/routes`, {
      routeKey: 'GET /v',
      target: `integrations/${integ.json.integrationId}`,
    });
    await call('POST', `/v2/apis/${api.apiId}/stages`, { stageName: '$default', autoDeploy: true });
    const res = await fetch(`${api.apiEndpoint}/v`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 'one', version: '1', color: 'red' });
    // All of the alias's traffic to version 2 by weight: the integration follows it.
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'ver-fn',
        Name: 'old',
        RoutingConfig: { AdditionalVersionWeights: { '2': 1 } },
      }),
    );
    expect(await (await fetch(`${api.apiEndpoint}/v`)).json()).toEqual({
      code: 'two',
      version: '2',
      color: 'blue',
    });
  });

  it('a published version and an alias still run after kill -9 and a restart', async () => {
    expect(await cloud.stop('SIGKILL')).toBeNull();
    lambda.destroy();
    // kill -9 leaves the old endpoints.json behind; the restart writes a new one.
    rmSync(join(dir, 'data', 'endpoints.json'), { force: true });
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
    lambda = new LambdaClient({
      endpoint: cloud.endpoints.awsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    expect(await invoke('ver-fn:1')).toEqual({
      executed: '1',
      body: { code: 'one', version: '1', color: 'red' },
    });
    expect(await invoke('ver-fn', 'live')).toMatchObject({ executed: '2', body: { code: 'two' } });
    expect(await invoke('ver-fn')).toMatchObject({ executed: '$LATEST', body: { code: 'two' } });
    const v1 = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'ver-fn', Qualifier: '1' }),
    );
    expect(v1).toMatchObject({ Version: '1', Environment: { Variables: { COLOR: 'red' } } });
  }, 120_000);
});
