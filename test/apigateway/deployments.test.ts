/**
 * Stages and deployments as AWS does them, against `npm start -- --empty`: a stage serves the snapshot its
 * deployment took (routes, integrations, authorizers), not the API's current parts; an AutoDeploy stage is
 * redeployed on every change; a stage never deployed answers 404. API Gateway v2's restJson1 API is driven as the
 * SDK sends it (../helpers/apigateway.ts), the function is created with SDK v3.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apigatewayV2, createRouteFunction } from '../helpers/apigateway.js';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:dep-fn';

describe('HTTP API stages serve their deployment', () => {
  let cloud: RunningCloud;
  let dir: string;
  const ep = () => cloud.endpoints.awsEndpoint;
  const call = apigatewayV2(ep);
  /** A new API with one Lambda integration; returns its id, endpoint and integration id. */
  const newApi = async (name: string) => {
    const api = await call('POST', '/v2/apis', { name, protocolType: 'HTTP' });
    const apiId = api.json.apiId as string;
    const integ = await call('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri: FN_ARN,
      payloadFormatVersion: '2.0',
    });
    return {
      apiId,
      endpoint: api.json.apiEndpoint as string,
      target: `integrations/${integ.json.integrationId as string}`,
    };
  };
  const get = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-dep-'));
    cloud = await startLocalCloud(join(dir, 'data'), ['--empty']);
    await createRouteFunction(ep(), 'us-east-1', 'dep-fn');
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a stage without AutoDeploy serves the routes as deployed until the next CreateDeployment', async () => {
    const { apiId, endpoint, target } = await newApi('manual');
    const route = await call('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /old', target });
    const routeId = route.json.routeId as string;
    const stage = await call('POST', `/v2/apis/${apiId}/stages`, { stageName: 'prod' });
    expect(stage.json.autoDeploy).toBe(false);
    expect(stage.json.deploymentId).toBeUndefined();
    // Never deployed: AWS's 404 for every request.
    expect(await get(`${endpoint}/prod/old`)).toEqual({ status: 404, text: '{"message":"Not Found"}' });

    const first = await call('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'prod' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ deploymentStatus: 'DEPLOYED', autoDeployed: false });
    expect(Object.keys(first.json)).not.toContain('snapshot');
    const firstId = first.json.deploymentId as string;
    expect((await call('GET', `/v2/apis/${apiId}/stages/prod`)).json.deploymentId).toBe(firstId);
    expect(await get(`${endpoint}/prod/old`)).toMatchObject({ status: 200, text: '{"route":"GET /old"}' });

    // The change is not served until it is deployed.
    await call('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, { routeKey: 'GET /new' });
    expect((await get(`${endpoint}/prod/old`)).status).toBe(200);
    expect((await get(`${endpoint}/prod/new`)).status).toBe(404);

    const second = await call('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'prod' });
    expect((await get(`${endpoint}/prod/old`)).status).toBe(404);
    expect(await get(`${endpoint}/prod/new`)).toMatchObject({ status: 200, text: '{"route":"GET /new"}' });

    // UpdateStage with DeploymentId rolls the stage back to the first snapshot.
    const rolled = await call('PATCH', `/v2/apis/${apiId}/stages/prod`, { deploymentId: firstId });
    expect(rolled.json.deploymentId).toBe(firstId);
    expect((await get(`${endpoint}/prod/old`)).status).toBe(200);
    expect((await get(`${endpoint}/prod/new`)).status).toBe(404);

    // A deployment a stage serves cannot be deleted; one no stage serves can.
    const busy = await call('DELETE', `/v2/apis/${apiId}/deployments/${firstId}`);
    expect(busy).toMatchObject({ status: 400, type: 'BadRequestException' });
    const idle = await call('DELETE', `/v2/apis/${apiId}/deployments/${second.json.deploymentId as string}`);
    expect(idle.status).toBe(204);
    const unknown = await call('PATCH', `/v2/apis/${apiId}/stages/prod`, { deploymentId: 'nope42' });
    expect(unknown).toMatchObject({ status: 400, type: 'BadRequestException' });
  });

  it('an AutoDeploy stage serves every change at once, each a new deployment', async () => {
    const { apiId, endpoint, target } = await newApi('auto');
    const stage = await call('POST', `/v2/apis/${apiId}/stages`, { stageName: '$default', autoDeploy: true });
    // No routes yet: nothing to deploy.
    expect(stage.json.deploymentId).toBeUndefined();
    expect((await get(`${endpoint}/a`)).status).toBe(404);

    const route = await call('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /a', target });
    const afterCreate = (await call('GET', `/v2/apis/${apiId}/stages/$default`)).json;
    expect(afterCreate.deploymentId).toMatch(/^[a-z0-9]{6}$/);
    expect(afterCreate.lastDeploymentStatusMessage).toBe(
      `Successfully deployed stage with deployment ID '${afterCreate.deploymentId as string}'`,
    );
    expect(await get(`${endpoint}/a`)).toMatchObject({ status: 200, text: '{"route":"GET /a"}' });

    await call('PATCH', `/v2/apis/${apiId}/routes/${route.json.routeId as string}`, { routeKey: 'GET /b' });
    const afterUpdate = (await call('GET', `/v2/apis/${apiId}/stages/$default`)).json;
    expect(afterUpdate.deploymentId).not.toBe(afterCreate.deploymentId);
    expect((await get(`${endpoint}/a`)).status).toBe(404);
    expect((await get(`${endpoint}/b`)).status).toBe(200);
    const deployments = (await call('GET', `/v2/apis/${apiId}/deployments`)).json.items as {
      autoDeployed: boolean;
      description: string;
    }[];
    expect(deployments).toHaveLength(2);
    expect(deployments.every((d) => d.autoDeployed)).toBe(true);
    expect(deployments[0]?.description).toBe(
      'Automatic deployment triggered by changes to the Api configuration',
    );

    // The deployment of an AutoDeploy stage is not switched by hand.
    const refused = await call('PATCH', `/v2/apis/${apiId}/stages/$default`, {
      deploymentId: afterCreate.deploymentId,
    });
    expect(refused).toMatchObject({ status: 400, type: 'BadRequestException' });
  });

  it('refuses to deploy an API without routes, with BadRequestException', async () => {
    const { apiId } = await newApi('empty');
    const r = await call('POST', `/v2/apis/${apiId}/deployments`, {});
    expect(r).toMatchObject({ status: 400, type: 'BadRequestException' });
    expect(r.json.message).toBe('Unable to deploy API because no routes exist in this API');
  });
});
