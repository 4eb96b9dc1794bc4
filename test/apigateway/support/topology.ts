import type { HttpApiSpec, RouteSpec, StageSpec } from '../../../src/services/cloudformation/types.js';

export function route(routeKey: string, over: Partial<RouteSpec> = {}): RouteSpec {
  return {
    logicalId: `Route${routeKey.replace(/\W+/g, '')}`,
    routeKey,
    authorizationType: 'NONE',
    authorizerLogicalId: undefined,
    authorizationScopes: [],
    integrationLogicalId: 'PersonIntegration',
    ...over,
  };
}

export function stage(name: string, over: Partial<StageSpec> = {}): StageSpec {
  return {
    logicalId: `Stage${name.replace(/\W+/g, '')}`,
    name,
    autoDeploy: true,
    accessLogFormat: undefined,
    throttling: undefined,
    routeThrottling: {},
    stageVariables: {},
    ...over,
  };
}

/** An API shaped like the app's: one Lambda integration, a JWT authorizer, a named stage. */
export function api(issuer: string, over: Partial<HttpApiSpec> = {}): HttpApiSpec {
  return {
    logicalId: 'HttpApi',
    id: 'abcde12345',
    name: 'gatehouse-api',
    cors: undefined,
    stages: [stage('serverless_lambda_stage')],
    routes: [
      route('GET /person', { authorizationType: 'JWT', authorizerLogicalId: 'Auth' }),
      route('POST /person', { authorizationType: 'JWT', authorizerLogicalId: 'Auth' }),
      route('DELETE /person', {
        authorizationType: 'JWT',
        authorizerLogicalId: 'Auth',
        authorizationScopes: ['api/admin'],
      }),
      route('GET /public/{id}'),
      route('GET /broken', { integrationLogicalId: 'BrokenIntegration' }),
    ],
    authorizers: [
      {
        logicalId: 'Auth',
        name: 'Auth',
        type: 'JWT',
        identitySource: ['$request.header.Authorization'],
        issuer,
        audience: ['client-app-1'],
      },
    ],
    integrations: [
      {
        logicalId: 'PersonIntegration',
        type: 'AWS_PROXY',
        functionName: 'person',
        payloadFormatVersion: '2.0',
        timeoutMs: 30000,
      },
      {
        logicalId: 'BrokenIntegration',
        type: 'AWS_PROXY',
        functionName: 'broken',
        payloadFormatVersion: '2.0',
        timeoutMs: 30000,
      },
    ],
    ...over,
  };
}
