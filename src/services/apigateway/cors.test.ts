import { describe, expect, it } from 'vitest';
import type { CorsSpec } from '../cloudformation/types.js';
import { formatAccessLog } from './access-log.js';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';

const cors: CorsSpec = {
  allowOrigins: ['*'],
  allowMethods: ['*'],
  allowHeaders: ['*'],
  exposeHeaders: [],
  allowCredentials: false,
  maxAge: undefined,
};
const h = (o: Record<string, string>) => (n: string) => o[n];

describe('CORS (http-api-cors.md)', () => {
  it('recognises a preflight only with Origin and Access-Control-Request-Method', () => {
    expect(isPreflight('OPTIONS', h({ origin: 'http://a', 'access-control-request-method': 'GET' }))).toBe(
      true,
    );
    expect(isPreflight('OPTIONS', h({ origin: 'http://a' }))).toBe(false);
    expect(isPreflight('GET', h({ origin: 'http://a', 'access-control-request-method': 'GET' }))).toBe(false);
  });

  it('echoes the requested method and headers for wildcard settings', () => {
    const out = preflightHeaders(
      cors,
      h({
        origin: 'http://a',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-a',
      }),
    );
    expect(out).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-a',
    });
  });

  it('names the origin rather than * when credentials are allowed', () => {
    const out = applyCors({ ...cors, allowCredentials: true }, 'http://a', {});
    expect(out['access-control-allow-origin']).toBe('http://a');
    expect(out['access-control-allow-credentials']).toBe('true');
  });

  it('drops backend CORS headers even for an origin that is not allowed', () => {
    const out = applyCors({ ...cors, allowOrigins: ['http://a'] }, 'http://b', {
      'access-control-allow-origin': '*',
      'x-keep': '1',
    });
    expect(out).toEqual({ 'x-keep': '1' });
  });
});

describe('access log format', () => {
  it('substitutes $context variables and writes - for missing ones', () => {
    const line = formatAccessLog(
      '$context.requestId $context.httpMethod $context.routeKey $context.status. $context.error.message',
      {
        requestId: 'r1',
        httpMethod: 'GET',
        routeKey: 'GET /person',
        status: 200,
      },
    );
    expect(line).toBe('r1 GET GET /person 200. -');
  });

  it('reads claim names with colons', () => {
    expect(
      formatAccessLog('$context.authorizer.claims.cognito:username', {
        'authorizer.claims.cognito:username': 'ada',
      }),
    ).toBe('ada');
  });

  it('keeps the text around variables, and formats a format it has seen before the same way', () => {
    const format =
      '{"requestId":"$context.requestId","status":"$context.status","ip":"$context.identity.sourceIp"}';
    const vars = { requestId: 'r2', status: 403 };
    const once = formatAccessLog(format, vars);
    expect(once).toBe('{"requestId":"r2","status":"403","ip":"-"}');
    expect(formatAccessLog(format, { ...vars, 'identity.sourceIp': '127.0.0.1' })).toBe(
      '{"requestId":"r2","status":"403","ip":"127.0.0.1"}',
    );
    expect(formatAccessLog('no variables', vars)).toBe('no variables');
  });
});
