import { describe, expect, it } from 'vitest';
import {
  accessLog,
  base,
  clock,
  gw,
  idp,
  invoker,
  lastEvent,
  start,
  token,
  useGateway,
} from './support/gateway.js';
import { api, route, stage } from './support/topology.js';

useGateway();

describe('gateway: throttling (token buckets on the injected clock)', () => {
  it('answers 429 past the route burst and recovers as the clock refills the bucket', async () => {
    await gw.close();
    await start(
      api(idp.issuer, {
        stages: [
          stage('serverless_lambda_stage', {
            routeThrottling: { 'GET /public/{id}': { burstLimit: 2, rateLimit: 1 } },
          }),
        ],
      }),
    );
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
    const res = await fetch(`${base}/public/1`);
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('{"message":"Too Many Requests"}');
    expect(res.headers.get('apigw-requestid')).toBe('req-3');
    // Other routes use the stage default (none here), so they still pass.
    expect((await fetch(`${base}/broken`)).status).not.toBe(429);
    clock.advance(1000);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });

  it('applies the stage default settings to each route', async () => {
    await gw.close();
    await start(
      api(idp.issuer, {
        stages: [stage('serverless_lambda_stage', { throttling: { burstLimit: 0, rateLimit: 0 } })],
      }),
    );
    const res = await fetch(`${base}/public/1`);
    expect(res.status).toBe(429);
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
  });
});

describe('gateway: CORS', () => {
  const cors = {
    allowOrigins: ['http://app.example'],
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['x-total'],
    allowCredentials: false,
    maxAge: 600,
  };

  it('answers a preflight itself, even with no OPTIONS route and a JWT-protected path', async () => {
    await gw.close();
    await start(api(idp.issuer, { cors }));
    const res = await fetch(`${base}/person`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
    expect(invoker.calls).toHaveLength(0);
  });

  it('lets a JWT-protected $default route catch preflights, as http-api-cors.md warns', async () => {
    await gw.close();
    await start(
      api(idp.issuer, {
        cors,
        routes: [route('$default', { authorizationType: 'JWT', authorizerLogicalId: 'Auth' })],
      }),
    );
    const res = await fetch(`${base}/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(401);
  });

  it('replaces the backend CORS headers with the configured ones', async () => {
    await gw.close();
    await start(api(idp.issuer, { cors }));
    const res = await fetch(`${base}/person`, {
      headers: { origin: 'http://app.example', authorization: await token() },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total');
    const other = await fetch(`${base}/person`, {
      headers: { origin: 'http://evil.example', authorization: await token() },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('gateway: responses, stages, access logs, reload', () => {
  it('sends each cookie as its own set-cookie header', async () => {
    invoker.returns('broken', { statusCode: 201, cookies: ['a=1; Path=/', 'b=2'], body: 'made' });
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(await res.text()).toBe('made');
  });

  it('serves a $default stage without a path prefix', async () => {
    await gw.close();
    await start(api(idp.issuer, { stages: [stage('$default')] }));
    expect(base).toBe(gw.url);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
    expect(lastEvent().rawPath).toBe('/public/1');
    expect(lastEvent().requestContext.stage).toBe('$default');
  });

  it("writes one access log line per request in the stage's format", async () => {
    await gw.close();
    const format =
      '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","err":"$context.error.message","sub":"$context.authorizer.claims.sub","ip":"$context.identity.sourceIp"}';
    await start(api(idp.issuer, { stages: [stage('serverless_lambda_stage', { accessLogFormat: format })] }));
    await fetch(`${base}/person`, { headers: { authorization: await token() } });
    await fetch(`${base}/person`);
    expect(accessLog.map((e) => JSON.parse(e.line))).toEqual([
      {
        requestId: 'req-1',
        routeKey: 'GET /person',
        status: '200',
        err: '-',
        sub: 'user-1',
        ip: '127.0.0.1',
      },
      {
        requestId: 'req-2',
        routeKey: 'GET /person',
        status: '401',
        err: 'Unauthorized',
        sub: '-',
        ip: '127.0.0.1',
      },
    ]);
  });

  it('reloads routes on the same URL', async () => {
    const before = gw.apis[0]?.url;
    await gw.reload([api(idp.issuer, { routes: [route('GET /hello')] })]);
    expect(gw.apis[0]?.url).toBe(before);
    expect((await fetch(`${base}/hello`)).status).toBe(200);
    expect((await fetch(`${base}/public/1`)).status).toBe(404);
  });

  it('refuses a reload whose route names a missing authorizer and keeps serving the old routes', async () => {
    await expect(
      gw.reload([
        api(idp.issuer, {
          routes: [route('GET /x', { authorizationType: 'JWT', authorizerLogicalId: 'Nope' })],
        }),
      ]),
    ).rejects.toThrow(/Nope/);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });
});
