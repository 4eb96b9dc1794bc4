import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/services/apigateway/index.js';
import {
  base,
  clock,
  errorLog,
  gw,
  idp,
  invoker,
  lastEvent,
  rawHttp,
  silent,
  token,
  useGateway,
} from './support/gateway.js';
import { api } from './support/topology.js';

useGateway();

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
