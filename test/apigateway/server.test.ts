import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiGatewayV2Event } from '../../src/services/apigateway/event.js';
import {
  type AccessLogEntry,
  type RunningGateway,
  startGateway,
} from '../../src/services/apigateway/index.js';
import type { HttpApiSpec } from '../../src/services/cloudformation/types.js';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from './support/idp.js';
import { FakeInvoker } from './support/invoker.js';
import { api, route, stage } from './support/topology.js';

const silent = { info() {}, warn() {}, error() {} };
let errorLog: { obj: object; msg: string | undefined }[] = [];
const log = {
  ...silent,
  error(obj: object, msg?: string) {
    errorLog.push({ obj, msg });
  },
};

let idp: TestIdp;
let clock: FakeClock;
let invoker: FakeInvoker;
let gw: RunningGateway;
let accessLog: AccessLogEntry[];
let base: string;

beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.close();
});

async function start(spec: HttpApiSpec = api(idp.issuer)) {
  clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  invoker = new FakeInvoker();
  invoker.returns('person', (e: unknown) => {
    const event = e as ApiGatewayV2Event;
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
      body: JSON.stringify({
        message: `${event.requestContext.http.method} ok`,
        sub: event.requestContext.authorizer?.jwt.claims.sub,
      }),
    };
  });
  accessLog = [];
  errorLog = [];
  let n = 0;
  gw = await startGateway({
    apis: [spec],
    invoker,
    clock,
    log,
    region: 'us-east-1',
    accountId: '000000000000',
    resolveIssuer: (issuer) => ({ issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` }),
    accessLogSink: (e) => accessLog.push(e),
    requestIds: () => `req-${++n}`,
  });
  base = gw.apis[0]?.url as string;
}

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  await gw.close();
});

function token(over: JWTPayload = {}) {
  const now = Math.floor(clock.now() / 1000);
  return idp.sign({
    sub: 'user-1',
    iss: idp.issuer,
    client_id: 'client-app-1',
    token_use: 'access',
    scope: 'api/read',
    iat: now,
    exp: now + 3600,
    ...over,
  });
}

const lastEvent = () => invoker.calls.at(-1)?.event as ApiGatewayV2Event;

describe('gateway: authorized Lambda proxy', () => {
  it('serves the API under its named stage and lists the stage URL', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/serverless_lambda_stage$/);
    expect(gw.url).toBe(base.replace('/serverless_lambda_stage', ''));
    expect(gw.apis[0]?.stages).toEqual([{ name: 'serverless_lambda_stage', url: base }]);
  });

  it('hands out URLs with the public host when it differs from the listening host', async () => {
    const other = await startGateway({
      apis: [api(idp.issuer)],
      invoker,
      clock,
      log: silent,
      region: 'us-east-1',
      accountId: '000000000000',
      publicHost: 'localhost',
    });
    try {
      expect(other.apis[0]?.url).toMatch(/^http:\/\/localhost:\d+\/serverless_lambda_stage$/);
    } finally {
      await other.close();
    }
  });

  it('answers an authorized GET with the function result, the caller sub and apigw-requestid', async () => {
    const res = await fetch(`${base}/person?a=1&a=2`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'GET ok', sub: 'user-1' });
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
    const e = lastEvent();
    expect(e.rawPath).toBe('/serverless_lambda_stage/person');
    expect(e.routeKey).toBe('GET /person');
    expect(e.requestContext.stage).toBe('serverless_lambda_stage');
    expect(e.queryStringParameters).toEqual({ a: '1,2' });
    expect(e.requestContext.authorizer?.jwt.claims.exp).toMatch(/^\d+$/);
    expect(e.requestContext.authorizer?.jwt.scopes).toBeNull();
    expect(e.requestContext.requestId).toBe('req-1');
    expect(invoker.calls.at(-1)?.options).toEqual({ timeoutMs: 30000 });
  });

  it('passes a POST body through as text', async () => {
    const res = await fetch(`${base}/person`, {
      method: 'POST',
      headers: { authorization: await token(), 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    expect(res.status).toBe(200);
    expect(lastEvent().body).toBe('{"name":"Ada"}');
    expect(lastEvent().isBase64Encoded).toBe(false);
  });

  it('answers 401 with www-authenticate when the token is missing, without invoking the function', async () => {
    const res = await fetch(`${base}/person`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"message":"Unauthorized"}');
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer scope="" error="invalid_token" error_description="/,
    );
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers 401 for a token of another client', async () => {
    const res = await fetch(`${base}/person`, {
      headers: { authorization: await token({ client_id: 'someone-else' }) },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('the token does not have a valid audience');
  });

  it('answers 403 Forbidden when the token lacks the route scope', async () => {
    const res = await fetch(`${base}/person`, {
      method: 'DELETE',
      headers: { authorization: await token() },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('{"message":"Forbidden"}');
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
  });

  it("passes a scoped route and gives the function the token's scopes", async () => {
    const res = await fetch(`${base}/person`, {
      method: 'DELETE',
      headers: { authorization: await token({ scope: 'api/read api/admin' }) },
    });
    expect(res.status).toBe(200);
    expect(lastEvent().requestContext.authorizer?.jwt.scopes).toEqual(['api/read', 'api/admin']);
  });

  it('serves an unauthenticated route with decoded path parameters and no authorizer block', async () => {
    const res = await fetch(`${base}/public/a%20b`);
    expect(res.status).toBe(200);
    expect(lastEvent().pathParameters).toEqual({ id: 'a b' });
    expect(lastEvent().requestContext.authorizer).toBeUndefined();
  });
});

describe('gateway: error statuses', () => {
  it('answers 404 Not Found for an unknown route', async () => {
    const res = await fetch(`${base}/nothing`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('{"message":"Not Found"}');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('answers 404 for a path outside every stage when there is no $default stage', async () => {
    const res = await fetch(`${gw.url}/person`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('{"message":"Not Found"}');
  });

  it('answers 500 when the function throws, without leaking the error', async () => {
    invoker.fails('broken', 'Unhandled');
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error"}');
  });

  it('answers a generic 500 when the gateway itself fails, logged under the request id the client sees', async () => {
    invoker.handlers.set('broken', () => {
      throw new Error('secret internal detail');
    });
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error"}');
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
    expect(errorLog).toEqual([
      { obj: expect.objectContaining({ requestId: 'req-1' }), msg: 'gateway failed to answer a request' },
    ]);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });

  it('answers 500 when the worker crashed', async () => {
    invoker.fails('broken', 'Crash');
    expect((await fetch(`${base}/broken`)).status).toBe(500);
  });

  it('answers 500 when the function returns an unusable result', async () => {
    invoker.returns('broken', { statusCode: 'teapot' });
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"Internal Server Error"}');
  });

  it('answers 503 Service Unavailable on an integration timeout', async () => {
    invoker.fails('broken', 'Timeout');
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('{"message":"Service Unavailable"}');
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
  });

  it('answers 413 when the declared body is over 10 MB', async () => {
    const { status, body, headers } = await rawHttp(base, 'POST', '/public/x', {
      'content-length': String(10 * 1024 * 1024 + 1),
    });
    expect(status).toBe(413);
    expect(body).toBe('{"message":"Request Entity Too Large"}');
    expect(headers['apigw-requestid']).toBe('req-1');
  });

  it('answers 413 when a chunked body without content-length grows past 10 MB, without invoking the function', async () => {
    const u = new URL(base);
    const calls = invoker.calls.length;
    // A valid token: the authorizer runs before the body is read, so only an authorized request gets this far.
    const authorization = `Bearer ${await token()}`;
    const { status, requestId } = await new Promise<{ status: number; requestId: unknown }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: u.hostname,
            port: u.port,
            method: 'POST',
            path: `${u.pathname}/person`,
            headers: { authorization },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, requestId: res.headers['apigw-requestid'] });
          },
        );
        // The gateway answers and closes while bytes are still on the way; only a missing answer fails the test.
        req.on('error', (err) => setTimeout(() => reject(err), 1000));
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        for (let i = 0; i < 10; i++) req.write(chunk);
        req.end(Buffer.alloc(1, 'a'));
      },
    );
    expect(status).toBe(413);
    expect(requestId).toBe('req-1');
    expect(invoker.calls.length).toBe(calls);
    // Refused as it streamed in: never more than the quota held, and nothing held after.
    expect(gw.bodyBytes().peak).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(gw.bodyBytes().buffered).toBe(0);
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });

  it('answers 431 when the request line and headers exceed 10240 bytes', async () => {
    const res = await fetch(`${base}/public/x`, { headers: { 'x-big': 'a'.repeat(10_300) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('apigw-requestid')).toBe('req-1');
  });

  it('answers garbage with 400 and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const u = new URL(base);
      const socket = connect(Number(u.port), u.hostname, () => socket.write('GARBAGE\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toMatch(/\r\napigw-requestid: req-1\r\n/i);
    expect(reply).toContain('{"message":"Bad Request"}');
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });

  it('answers an Expect it cannot meet with 417 and apigw-requestid, without invoking the function', async () => {
    const { status, body, headers } = await rawHttp(base, 'GET', '/public/1', { expect: 'something-else' });
    expect(status).toBe(417);
    expect(body).toBe('{"message":"Expectation Failed"}');
    expect(headers['apigw-requestid']).toBe('req-1');
    expect(invoker.calls).toHaveLength(0);
  });

  it('keeps serving after a client abandons a request body halfway', async () => {
    const u = new URL(base);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write(`POST ${u.pathname}/public/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc`);
        setImmediate(() => {
          socket.destroy();
          resolve();
        });
      });
    });
    expect((await fetch(`${base}/public/1`)).status).toBe(200);
  });

  it('answers 431 to headers beyond what the HTTP parser accepts', async () => {
    const reply = await new Promise<string>((resolve) => {
      const u = new URL(base);
      const socket = connect(Number(u.port), u.hostname, () =>
        socket.write(`GET /x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => {
        data += d;
      });
      socket.on('end', () => resolve(data));
      // The server closes with request bytes unread, so the kernel may reset the connection after the answer.
      socket.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 431/);
    expect(reply).toMatch(/\r\napigw-requestid: req-1\r\n/i);
    expect(reply).toContain('{"message":"Request Header Fields Too Large"}');
  });

  it('survives a bad percent-encoding and an absurd query string', async () => {
    expect((await fetch(`${base}/public/%E0%A4%A?x=%zz&&=&a`)).status).toBe(200);
  });
});

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

function rawHttp(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method, path: `${u.pathname}${path}`, headers },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}
