import { describe, expect, it } from 'vitest';
import {
  domainOf,
  type EventContext,
  formatRequestTime,
  type GatewayRequest,
  isTextContentType,
  renderClaim,
  toEventV2,
} from './event.js';

function request(over: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/person',
    rawQueryString: '',
    headers: [['Host', '127.0.0.1:9231']],
    body: undefined,
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    ...over,
  };
}

function context(over: Partial<EventContext> = {}): EventContext {
  return {
    accountId: '000000000000',
    apiId: 'abcde12345',
    ...domainOf('127.0.0.1:9231', 'abcde12345'),
    stage: '$default',
    routeKey: 'GET /person',
    requestId: 'req-1',
    timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
    traceId: 'Root=1-5e6a8a2e-000000000000000000000000',
    forwardedPort: 9231,
    forwardedProto: 'http',
    pathParameters: {},
    stageVariables: {},
    ...over,
  };
}

describe('toEventV2 (reference §2, payload format 2.0)', () => {
  it('lowercases header names and comma-joins repeated headers', () => {
    const e = toEventV2(
      request({
        headers: [
          ['X-Multi', 'a'],
          ['x-multi', 'b'],
          ['Accept', '*/*'],
        ],
      }),
      context(),
    );
    expect(e.headers['x-multi']).toBe('a,b');
    expect(e.headers.accept).toBe('*/*');
    expect(Object.keys(e.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('moves every cookie header into cookies and out of headers', () => {
    const e = toEventV2(
      request({
        headers: [
          ['Cookie', 'a=1; b=2'],
          ['cookie', 'c=3'],
        ],
      }),
      context(),
    );
    expect(e.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(e.headers.cookie).toBeUndefined();
  });

  it('keeps rawQueryString as sent and comma-joins repeated query keys', () => {
    const raw = 'parameter1=value1&parameter1=value2&parameter2=value&enc=a%20b';
    const e = toEventV2(request({ rawQueryString: raw }), context());
    expect(e.rawQueryString).toBe(raw);
    expect(e.queryStringParameters).toEqual({ parameter1: 'value1,value2', parameter2: 'value', enc: 'a b' });
  });

  it('leaves empty fields absent rather than null', () => {
    const e = toEventV2(request(), context());
    for (const field of ['cookies', 'queryStringParameters', 'body', 'pathParameters', 'stageVariables']) {
      expect(field in e).toBe(false);
    }
    expect('authorizer' in e.requestContext).toBe(false);
    expect(e.rawQueryString).toBe('');
    expect(e.isBase64Encoded).toBe(false);
  });

  it('adds the x-forwarded headers and a trace id, appending the client to an existing x-forwarded-for', () => {
    const e = toEventV2(
      request({ headers: [['X-Forwarded-For', '203.0.113.7']], sourceIp: '127.0.0.1' }),
      context(),
    );
    expect(e.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(e.headers['x-forwarded-port']).toBe('9231');
    expect(e.headers['x-forwarded-proto']).toBe('http');
    expect(e.headers['x-amzn-trace-id']).toBe('Root=1-5e6a8a2e-000000000000000000000000');
  });

  it('fills requestContext completely', () => {
    const e = toEventV2(request({ headers: [['user-agent', 'curl/8']] }), context({ stage: 'dev' }));
    expect(e.requestContext).toEqual({
      accountId: '000000000000',
      apiId: 'abcde12345',
      domainName: '127.0.0.1:9231',
      domainPrefix: 'abcde12345',
      http: {
        method: 'GET',
        path: '/person',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'curl/8',
      },
      requestId: 'req-1',
      routeKey: 'GET /person',
      stage: 'dev',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
    });
  });

  it('passes path parameters and stage variables when there are some', () => {
    const e = toEventV2(request(), context({ pathParameters: { id: '7' }, stageVariables: { env: 'dev' } }));
    expect(e.pathParameters).toEqual({ id: '7' });
    expect(e.stageVariables).toEqual({ env: 'dev' });
  });

  it('sends a JSON body as text and a binary body as base64', () => {
    const json = toEventV2(
      request({
        headers: [['content-type', 'application/json; charset=utf-8']],
        body: Buffer.from('{"a":1}'),
      }),
      context(),
    );
    expect(json.body).toBe('{"a":1}');
    expect(json.isBase64Encoded).toBe(false);
    const bin = toEventV2(
      request({ headers: [['content-type', 'application/octet-stream']], body: Buffer.from([0, 255, 1]) }),
      context(),
    );
    expect(bin.body).toBe(Buffer.from([0, 255, 1]).toString('base64'));
    expect(bin.isBase64Encoded).toBe(true);
  });

  it('stringifies every claim: arrays as [a b], nulls dropped, objects as JSON', () => {
    const e = toEventV2(
      request(),
      context({
        jwt: {
          claims: {
            exp: 1700000000,
            'cognito:groups': ['admin', 'poweruser'],
            gone: null,
            ok: true,
            o: { a: 1 },
          },
          routeScopes: [],
        },
      }),
    );
    expect(e.requestContext.authorizer?.jwt.claims).toEqual({
      exp: '1700000000',
      'cognito:groups': '[admin poweruser]',
      ok: 'true',
      o: '{"a":1}',
    });
  });

  it('sets scopes to null on an unscoped route even when the token has scopes', () => {
    const e = toEventV2(request(), context({ jwt: { claims: { scope: 'a b' }, routeScopes: [] } }));
    expect(e.requestContext.authorizer?.jwt.scopes).toBeNull();
    expect(e.requestContext.authorizer?.jwt.claims.scope).toBe('a b');
  });

  it("gives a scoped route the token's full scope list, not the intersection", () => {
    const e = toEventV2(request(), context({ jwt: { claims: { scope: 'a b c' }, routeScopes: ['b'] } }));
    expect(e.requestContext.authorizer?.jwt.scopes).toEqual(['a', 'b', 'c']);
    const scp = toEventV2(request(), context({ jwt: { claims: { scp: ['x', 'y'] }, routeScopes: ['x'] } }));
    expect(scp.requestContext.authorizer?.jwt.scopes).toEqual(['x', 'y']);
  });
});

describe('event helpers', () => {
  it('renders nested arrays and numbers like the real authorizer', () => {
    expect(renderClaim(['a', 1, true])).toBe('[a 1 true]');
    expect(renderClaim([])).toBe('[]');
    expect(renderClaim(null)).toBeUndefined();
  });

  it('formats request time in CLF with a +0000 offset', () => {
    expect(formatRequestTime(Date.UTC(2024, 5, 7, 5, 9, 2))).toBe('07/Jun/2024:05:09:02 +0000');
  });

  it('treats text, JSON and XML content types as text and the rest as binary', () => {
    expect(isTextContentType('text/plain')).toBe(true);
    expect(isTextContentType('application/vnd.api+json')).toBe(true);
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(false);
    expect(isTextContentType('image/png')).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
  });

  it('derives domainPrefix from an AWS-style host and uses the api id for an IP host', () => {
    expect(domainOf('abc.execute-api.us-east-1.amazonaws.com', 'abc')).toEqual({
      domainName: 'abc.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc',
    });
    expect(domainOf('127.0.0.1:9231', 'abc').domainPrefix).toBe('abc');
    expect(domainOf('localhost:9231', 'abc').domainPrefix).toBe('abc');
  });
});
