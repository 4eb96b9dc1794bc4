import { describe, expect, it } from 'vitest';
import { assertRegistryMatchesModel } from '../../../protocols/index.js';
import { FakeClock } from '../../../shared/clock.js';
import { ControlPlaneStore } from '../../../store/records.js';
import { model } from './model.gen.js';
import { apiGatewayControlOperations } from './operations.js';
import { createIntegration, createRoute, createStage, deleteAuthorizer, updateRoute } from './parts.js';
import { functionRefOfUri, toHttpApiSpec } from './spec.js';
import { ApiGatewayStore } from './store.js';

const store = () => new ApiGatewayStore('us-east-1', '123456789012', new FakeClock());
const lambdaUri =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/invocations';

describe('API Gateway v2 resource model', () => {
  it('serves exactly the modelled operations', () => {
    const s = store();
    assertRegistryMatchesModel(
      model,
      apiGatewayControlOperations({ store: s, settled: async () => {}, endpointOf: () => undefined }),
    );
  });

  it('tells the gateway after every change, and the served spec follows the store', () => {
    const s = store();
    let changes = 0;
    s.onChange(() => changes++);
    const api = s.createApi({ Name: 'a', ProtocolType: 'HTTP' });
    const i = createIntegration(s, api.ApiId, {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: lambdaUri,
      PayloadFormatVersion: '2.0',
    });
    const r = createRoute(s, api.ApiId, { RouteKey: 'GET /x', Target: `integrations/${i.IntegrationId}` });
    createStage(s, api.ApiId, {
      StageName: 'dev',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 2 },
    });
    expect(changes).toBe(4);
    let spec = toHttpApiSpec(s.require(api.ApiId));
    expect(spec.routes.map((x) => x.routeKey)).toEqual(['GET /x']);
    expect(spec.integrations[0]).toMatchObject({
      functionName: 'fn',
      payloadFormatVersion: '2.0',
      timeoutMs: 30000,
    });
    expect(spec.stages[0]).toMatchObject({ name: 'dev', throttling: { burstLimit: 5, rateLimit: 2 } });
    updateRoute(s, api.ApiId, r.RouteId, { RouteKey: 'POST /y' });
    spec = toHttpApiSpec(s.require(api.ApiId));
    expect(spec.routes.map((x) => x.routeKey)).toEqual(['POST /y']);
    // The auto-deploy stage points at the latest deployment.
    const stage = s.require(api.ApiId).stages.get('dev');
    expect(stage?.DeploymentId).toBeDefined();
    // One deployment when the auto-deploy stage was created, one for the route change.
    expect(s.require(api.ApiId).deployments.size).toBe(2);
  });

  it('reads back what was written, defaults included', () => {
    const s = store();
    const api = s.createApi({ Name: 'a', ProtocolType: 'HTTP', Description: 'd' });
    expect(api).toMatchObject({
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: '$request.method $request.path',
      DisableExecuteApiEndpoint: false,
      IpAddressType: 'ipv4',
      Description: 'd',
    });
    expect('Version' in api).toBe(false);
    const i = createIntegration(s, api.ApiId, {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: 'https://example.com',
      IntegrationMethod: 'GET',
    });
    expect(i).toMatchObject({
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 30000,
      ConnectionType: 'INTERNET',
    });
    const st = createStage(s, api.ApiId, { StageName: '$default' });
    expect(st).toMatchObject({
      AutoDeploy: false,
      DefaultRouteSettings: { DetailedMetricsEnabled: false },
      RouteSettings: {},
      StageVariables: {},
    });
  });

  it('refuses conflicts and dangling references with API Gateway codes', () => {
    const s = store();
    const api = s.createApi({ Name: 'a', ProtocolType: 'HTTP' });
    const i = createIntegration(s, api.ApiId, { IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri });
    createRoute(s, api.ApiId, { RouteKey: 'GET /x', Target: `integrations/${i.IntegrationId}` });
    expect(() => createRoute(s, api.ApiId, { RouteKey: 'GET /x' })).toThrow(
      expect.objectContaining({ code: 'ConflictException' }),
    );
    expect(() => createRoute(s, api.ApiId, { RouteKey: 'GET /y', Target: 'integrations/zzz' })).toThrow(
      expect.objectContaining({ code: 'BadRequestException' }),
    );
    expect(() =>
      createRoute(s, api.ApiId, { RouteKey: 'GET /z', AuthorizationType: 'JWT', AuthorizerId: 'nope' }),
    ).toThrow(expect.objectContaining({ code: 'BadRequestException' }));
    expect(() => s.require('missing123')).toThrow(expect.objectContaining({ code: 'NotFoundException' }));
    expect(() => createStage(s, api.ApiId, { StageName: 'bad name' })).toThrow(
      expect.objectContaining({ code: 'BadRequestException' }),
    );
    expect(() => deleteAuthorizer(s, api.ApiId, 'nope')).toThrow(
      expect.objectContaining({ code: 'NotFoundException' }),
    );
    expect(() => s.createApi({ Name: 'ws', ProtocolType: 'WEBSOCKET' })).toThrow(
      expect.objectContaining({ code: 'BadRequestException' }),
    );
  });

  it('a deployment freezes the parts: later changes reach only the stages deployed again', () => {
    const s = store();
    const api = s.createApi({ Name: 'a', ProtocolType: 'HTTP' });
    const i = createIntegration(s, api.ApiId, { IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri });
    const r = createRoute(s, api.ApiId, { RouteKey: 'GET /x', Target: `integrations/${i.IntegrationId}` });
    createStage(s, api.ApiId, { StageName: 'manual' });
    createStage(s, api.ApiId, { StageName: 'auto', AutoDeploy: true });
    expect(toHttpApiSpec(s.require(api.ApiId)).deployed?.manual).toBeNull();
    const d = s.deploy(api.ApiId, { auto: false, stageName: 'manual' });
    updateRoute(s, api.ApiId, r.RouteId, { RouteKey: 'GET /y' });
    const spec = toHttpApiSpec(s.require(api.ApiId));
    expect(spec.routes.map((x) => x.routeKey)).toEqual(['GET /y']);
    expect(spec.deployed?.manual?.deploymentId).toBe(d?.DeploymentId);
    expect(spec.deployed?.manual?.parts.routes.map((x) => x.routeKey)).toEqual(['GET /x']);
    expect(spec.deployed?.auto?.parts.routes.map((x) => x.routeKey)).toEqual(['GET /y']);
    // The stored snapshot is a copy, plain data that survives a JSON round trip.
    const stored = s.require(api.ApiId).deployments.get(d?.DeploymentId as string);
    expect(JSON.parse(JSON.stringify(stored?.snapshot))).toEqual(stored?.snapshot);
    expect(stored?.snapshot.routes[0]?.RouteKey).toBe('GET /x');
  });

  it('reads the function and its qualifier from an integration URI', () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
    expect(functionRefOfUri(lambdaUri)).toBe('fn');
    expect(functionRefOfUri(fn)).toBe('fn');
    expect(functionRefOfUri(`${fn}:3`)).toBe('fn:3');
    expect(functionRefOfUri(`${fn}:$LATEST`)).toBe('fn');
    expect(functionRefOfUri(lambdaUri.replace(':fn/', ':fn:live/'))).toBe('fn:live');
  });
});

describe('API Gateway v2 resource model with records', () => {
  it('reads back the APIs made through the API, every part included', () => {
    const records = ControlPlaneStore.open(':memory:');
    try {
      const a = new ApiGatewayStore('us-east-1', '123456789012', new FakeClock(), records);
      const api = a.createApi({ Name: 'mine', ProtocolType: 'HTTP', Tags: { t: '1' } });
      const i = createIntegration(a, api.ApiId, { IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri });
      createRoute(a, api.ApiId, { RouteKey: 'GET /x', Target: `integrations/${i.IntegrationId}` });
      createStage(a, api.ApiId, { StageName: '$default', AutoDeploy: true });
      // A deployment changes no route: it is stored by the operation's commit.
      a.deploy(api.ApiId, { auto: false });
      a.commit();

      const b = new ApiGatewayStore('us-east-1', '123456789012', new FakeClock(), records);
      expect(b.list().map((r) => r.api.ApiId)).toEqual([api.ApiId]);
      expect(b.require(api.ApiId)).toEqual(a.require(api.ApiId));
      expect(toHttpApiSpec(b.require(api.ApiId))).toEqual(toHttpApiSpec(a.require(api.ApiId)));
      b.deleteApi(api.ApiId);
      expect(new ApiGatewayStore('us-east-1', '123456789012', new FakeClock(), records).list()).toEqual([]);
    } finally {
      records.close();
    }
  });
});
