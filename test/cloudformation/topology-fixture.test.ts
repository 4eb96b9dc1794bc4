// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings use ${} on purpose; they are CloudFormation, not JavaScript
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  topologyFromTemplate,
  userPoolClientId,
  userPoolId,
} from '../../src/services/cloudformation/index.js';
import { fixture, load, opts } from './support/topology.js';

describe('the CDK-synthesized triggers fixture', () => {
  const topology = load();
  const pool = topology.userPools[0];
  const api = topology.apis[0];
  const fnName = (logicalId: string) => topology.functions.find((f) => f.logicalId === logicalId)?.name;

  it('has one user pool with its deterministic id and name', () => {
    expect(topology.userPools).toHaveLength(1);
    expect(pool?.logicalId).toBe('PoolD3F588B8');
    expect(pool?.id).toBe(userPoolId('us-east-1', 'TriggersStack', 'PoolD3F588B8'));
    expect(pool?.name).toBe('triggers-pool');
    expect(pool?.properties.UsernameAttributes).toEqual(['email']);
  });

  it('maps the pool’s LambdaConfig to function names of the topology', () => {
    expect(pool?.triggers).toEqual({
      PreSignUp: fnName('PreSignUpFn7227C88E'),
      PostConfirmation: fnName('PreSignUpFn7227C88E'),
      CustomMessage: fnName('PreSignUpFn7227C88E'),
      PreTokenGeneration: 'gatehouse-pre-token',
    });
  });

  it('reads both app clients, resolving the resource server scope through Ref', () => {
    expect(pool?.clients.map((c) => c.logicalId)).toEqual(['PoolWeb224A1DFF', 'PoolMachine75D22E2D']);
    const [web, machine] = pool?.clients ?? [];
    expect(web?.id).toBe(userPoolClientId('TriggersStack', 'PoolWeb224A1DFF'));
    expect(web?.properties.CallbackURLs).toEqual(['http://localhost:3000/callback']);
    expect(web?.properties.UserPoolId).toBe(pool?.id);
    expect(machine?.properties.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(machine?.properties.AllowedOAuthScopes).toEqual(['orders/read']);
    expect(machine?.properties.GenerateSecret).toBe(true);
  });

  it('reads the domain prefix, the group and the resource server', () => {
    expect(pool?.domain).toEqual({ logicalId: 'PoolDomainCFC71F56', prefix: 'gatehouse-triggers' });
    expect(pool?.groups).toEqual([
      { logicalId: 'Admins', properties: { GroupName: 'admins', Precedence: 1, UserPoolId: pool?.id } },
    ]);
    expect(pool?.resourceServers[0]?.properties).toMatchObject({
      Identifier: 'orders',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    });
  });

  it('reads the functions with CloudFormation’s defaults and their asset directories', () => {
    expect(topology.functions.map((f) => f.logicalId)).toEqual([
      'PreSignUpFn7227C88E',
      'PreTokenFnC674ADAC',
      'ApiHandler5E7490E8',
    ]);
    const [preSignUp, preToken] = topology.functions;
    expect(preSignUp).toMatchObject({
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeout: 3,
      memorySize: 128,
    });
    expect(preSignUp?.name).toMatch(/^TriggersStack-PreSignUpFn7227C88E-[A-Za-z0-9]{12}$/);
    expect(preSignUp?.environment).toEqual({ STAGE: 'dev' });
    expect(preToken).toMatchObject({
      name: 'gatehouse-pre-token',
      timeout: 5,
      memorySize: 256,
      environment: {},
    });
    expect(preToken?.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:gatehouse-pre-token');
    for (const f of topology.functions) expect(existsSync(join(f.codeDir, 'index.mjs'))).toBe(true);
  });

  it('reads the HTTP API with its CORS configuration', () => {
    expect(api?.name).toBe('triggers-api');
    expect(api?.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api?.cors).toEqual({
      allowOrigins: ['http://localhost:3000'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 3600,
    });
  });

  it('reads the $default stage and a named stage with throttling, stage variables and an access log format', () => {
    expect(api?.stages).toEqual([
      {
        logicalId: 'ApiDefaultStage189A7074',
        name: '$default',
        autoDeploy: true,
        accessLogFormat: undefined,
        throttling: undefined,
        routeThrottling: {},
        stageVariables: {},
      },
      {
        logicalId: 'BetaC60672CA',
        name: 'beta',
        autoDeploy: true,
        accessLogFormat: '{"requestId":"$context.requestId","status":"$context.status"}',
        throttling: { burstLimit: 10, rateLimit: 5 },
        routeThrottling: { 'GET /health': { burstLimit: 2, rateLimit: 1 } },
        stageVariables: { env: 'beta' },
      },
    ]);
  });

  it('reads routes with their authorizer, scopes and integration as logical ids', () => {
    expect(api?.routes).toEqual([
      {
        logicalId: 'ApiANYordersproxy65B851C0',
        routeKey: 'ANY /orders/{proxy+}',
        authorizationType: 'JWT',
        authorizerLogicalId: 'ApiAuthz594D1CC2',
        authorizationScopes: ['orders/read'],
        integrationLogicalId: 'ApiANYordersproxyIntegF1F77D14',
      },
      {
        logicalId: 'ApiGETordersid99BB230B',
        routeKey: 'GET /orders/{id}',
        authorizationType: 'JWT',
        authorizerLogicalId: 'ApiAuthz594D1CC2',
        authorizationScopes: [],
        integrationLogicalId: 'ApiGETordersidSlowIntegFE528CCB',
      },
      {
        logicalId: 'ApiGEThealthA417CA46',
        routeKey: 'GET /health',
        authorizationType: 'NONE',
        authorizerLogicalId: undefined,
        authorizationScopes: [],
        integrationLogicalId: 'ApiANYordersproxyIntegF1F77D14',
      },
    ]);
  });

  it('reads the JWT authorizer with the issuer and audience resolved', () => {
    expect(api?.authorizers).toEqual([
      {
        logicalId: 'ApiAuthz594D1CC2',
        name: 'Authz',
        type: 'JWT',
        identitySource: ['$request.header.Authorization'],
        issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`,
        audience: pool?.clients.map((c) => c.id),
      },
    ]);
  });

  it('reads the Lambda integrations with their function, payload version and timeout', () => {
    const handler = fnName('ApiHandler5E7490E8');
    expect(
      api?.integrations.map((i) => [
        i.logicalId,
        i.type,
        i.functionName,
        i.payloadFormatVersion,
        i.timeoutMs,
      ]),
    ).toEqual([
      ['ApiANYordersproxyIntegF1F77D14', 'AWS_PROXY', handler, '2.0', 30000],
      ['ApiGETordersidSlowIntegFE528CCB', 'AWS_PROXY', handler, '2.0', 5000],
    ]);
  });

  it('resolves the authorizer’s issuer to the AWS issuer of the pool', () => {
    expect(api?.authorizers[0]?.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`);
  });

  it('has no warnings', () => {
    expect(topology.warnings).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same topology every time the same template is loaded', () => {
    expect(load()).toEqual(load());
  });

  it('gives another stack name different pool, client, API and function ids', () => {
    const a = topologyFromTemplate(fixture, opts);
    const b = topologyFromTemplate(fixture, { ...opts, stackName: 'Other' });
    expect(b.userPools[0]?.id).not.toBe(a.userPools[0]?.id);
    expect(b.userPools[0]?.clients[0]?.id).not.toBe(a.userPools[0]?.clients[0]?.id);
    expect(b.apis[0]?.id).not.toBe(a.apis[0]?.id);
    expect(b.functions[0]?.name).not.toBe(a.functions[0]?.name);
    // An explicit FunctionName does not depend on the stack.
    expect(b.functions[1]?.name).toBe('gatehouse-pre-token');
  });
});
