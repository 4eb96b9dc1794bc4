import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import { ControlPlaneStore } from '../../../store/records.js';
import { apiGatewayInternal } from './internal.js';
import { ApiGatewayStore } from './store.js';

const fnArn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

function setUp(records?: ControlPlaneStore) {
  const store = new ApiGatewayStore('us-east-1', '123456789012', new FakeClock(), records);
  const ag = apiGatewayInternal(store, async () => {});
  ag.createApi('api0000001', {
    Name: 'a',
    ProtocolType: 'HTTP',
    Description: 'first',
    CorsConfiguration: { AllowOrigins: ['https://x.example'] },
    Tags: { t: '1' },
  });
  ag.createPart('Integration', 'api0000001', 'int0001', {
    IntegrationType: 'AWS_PROXY',
    IntegrationUri: `${fnArn}:live`,
    PayloadFormatVersion: '2.0',
  });
  ag.createPart('Authorizer', 'api0000001', 'auth01', {
    Name: 'jwt',
    AuthorizerType: 'JWT',
    IdentitySource: ['$request.header.Authorization'],
    JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['aud'] },
  });
  ag.createPart('Route', 'api0000001', 'rte0001', {
    RouteKey: 'GET /x',
    AuthorizationType: 'JWT',
    AuthorizerId: 'auth01',
    AuthorizationScopes: ['read'],
    Target: 'integrations/int0001',
  });
  ag.createPart('Stage', 'api0000001', 'dev', {
    AutoDeploy: false,
    DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 2 },
    StageVariables: { v: '1' },
  });
  return { store, ag };
}

describe('API Gateway v2 internal operations (the CloudFormation engine’s)', () => {
  it('create under the given ids, with the API’s defaults, and store what they make', () => {
    const records = ControlPlaneStore.open(':memory:');
    try {
      const { store } = setUp(records);
      const r = store.require('api0000001');
      expect(r.api).toMatchObject({
        Name: 'a',
        Description: 'first',
        Tags: { t: '1' },
        IpAddressType: 'ipv4',
      });
      expect(r.routes.get('rte0001')).toMatchObject({ AuthorizerId: 'auth01', ApiKeyRequired: false });
      expect(r.integrations.get('int0001')).toMatchObject({
        IntegrationUri: `${fnArn}:live`,
        TimeoutInMillis: 30000,
      });
      expect(r.stages.get('dev')).toMatchObject({ AutoDeploy: false, StageVariables: { v: '1' } });
      // A new store over the same records reads the API back whole.
      const again = new ApiGatewayStore('us-east-1', '123456789012', new FakeClock(), records);
      expect(again.require('api0000001')).toEqual(r);
    } finally {
      records.close();
    }
  });

  it('update to exactly the desired state: what the template no longer sets goes back to its default or away', () => {
    const { store, ag } = setUp();
    ag.updateApi('api0000001', { Name: 'b', ProtocolType: 'HTTP', Tags: { u: '2' } });
    expect(store.require('api0000001').api).toMatchObject({ Name: 'b', Tags: { u: '2' } });
    expect(store.require('api0000001').api.Description).toBeUndefined();
    expect(store.require('api0000001').api.CorsConfiguration).toBeUndefined();

    ag.updatePart('Route', 'api0000001', 'rte0001', { RouteKey: 'GET /y', Target: 'integrations/int0001' });
    expect(store.require('api0000001').routes.get('rte0001')).toEqual({
      RouteId: 'rte0001',
      RouteKey: 'GET /y',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      ApiGatewayManaged: false,
      Target: 'integrations/int0001',
    });

    ag.updatePart('Stage', 'api0000001', 'dev', { DefaultRouteSettings: { ThrottlingRateLimit: 9 } });
    const stage = store.require('api0000001').stages.get('dev');
    expect(stage?.DefaultRouteSettings).toEqual({ DetailedMetricsEnabled: false, ThrottlingRateLimit: 9 });
    expect(stage?.StageVariables).toEqual({});

    ag.updatePart('Integration', 'api0000001', 'int0001', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: fnArn,
    });
    expect(store.require('api0000001').integrations.get('int0001')).toMatchObject({
      IntegrationUri: fnArn,
      PayloadFormatVersion: '1.0',
    });
  });

  it('refuse what the API refuses, with its error, and leave the resource as it was', () => {
    const { store, ag } = setUp();
    const before = structuredClone(store.require('api0000001').routes.get('rte0001'));
    expect(() =>
      ag.updatePart('Route', 'api0000001', 'rte0001', { RouteKey: 'GET /x', Target: 'integrations/nothere' }),
    ).toThrow(
      expect.objectContaining({
        code: 'BadRequestException',
        message: 'Invalid target specified: integrations/nothere',
      }),
    );
    expect(store.require('api0000001').routes.get('rte0001')).toEqual(before);
    expect(() => ag.createApi('api0000002', { Name: 7, ProtocolType: 'HTTP' })).toThrow(
      expect.objectContaining({ code: 'BadRequestException' }),
    );
    expect(() => ag.createPart('Stage', 'api0000001', 'bad name', {})).toThrow(
      expect.objectContaining({ code: 'BadRequestException' }),
    );
    expect(() => ag.deletePart('Integration', 'api0000001', 'int0001')).toThrow(
      expect.objectContaining({ code: 'ConflictException' }),
    );
  });

  it('deploy a stage without AutoDeploy on request, and delete what exists only', () => {
    const { store, ag } = setUp();
    expect(store.require('api0000001').stages.get('dev')?.DeploymentId).toBeUndefined();
    ag.deployStage('api0000001', 'dev');
    const deployed = store.require('api0000001').stages.get('dev')?.DeploymentId;
    expect(deployed).toBeDefined();
    expect(ag.has('api0000001', { kind: 'Route', id: 'rte0001' })).toBe(true);
    expect(ag.deletePart('Route', 'api0000001', 'rte0001')).toBe(true);
    expect(ag.deletePart('Route', 'api0000001', 'rte0001')).toBe(false);
    expect(ag.deleteApi('api0000001')).toBe(true);
    expect(ag.deletePart('Stage', 'api0000001', 'dev')).toBe(false);
    expect(ag.deleteApi('api0000001')).toBe(false);
    expect(ag.has('api0000001')).toBe(false);
  });
});
