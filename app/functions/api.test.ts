import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { type ApiEvent, callerIdentity, handler } from './api.js';
import { ACCESS_TOKEN_CLAIMS, httpApiEvent, ID_TOKEN_CLAIMS } from './fixtures/events.js';

async function call(event: ApiEvent): Promise<{ status: number | undefined; body: Record<string, unknown> }> {
  const result = (await handler(event)) as APIGatewayProxyStructuredResultV2;
  expect(result.headers?.['content-type']).toBe('application/json');
  return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('ANY /', () => {
  it('answers a public JSON hello without any authorizer context', async () => {
    const event = httpApiEvent({ method: 'GET', path: '/', routeKey: 'ANY /' });
    expect(event.requestContext.authorizer).toBeUndefined();

    const { status, body } = await call(event);

    expect(status).toBe(200);
    expect(body.message).toMatch(/^Hello from Gatehouse/);
    expect(body.method).toBe('GET');
  });

  it('answers every method on the public route', async () => {
    const { status, body } = await call(httpApiEvent({ method: 'PATCH', path: '/', routeKey: 'ANY /' }));

    expect(status).toBe(200);
    expect(body.method).toBe('PATCH');
  });
});

describe('/person', () => {
  it.each(['GET', 'POST', 'PUT', 'DELETE'])(
    'names the %s method the way the original handler did',
    async (method) => {
      const { status, body } = await call(
        httpApiEvent({ method, path: '/person', claims: { ...ACCESS_TOKEN_CLAIMS } }),
      );

      expect(status).toBe(200);
      expect(body.message).toBe(`[${method} METHOD]Hello,world`);
    },
  );

  it('reports sub, username and the split scope claim of an access token', async () => {
    const { body } = await call(
      httpApiEvent({ method: 'GET', path: '/person', claims: { ...ACCESS_TOKEN_CLAIMS }, scopes: null }),
    );

    expect(body.caller).toEqual({
      sub: ACCESS_TOKEN_CLAIMS.sub,
      username: ACCESS_TOKEN_CLAIMS.username,
      tokenUse: 'access',
      scopes: ['phone', 'openid', 'profile', 'aws.cognito.signin.user.admin', 'email'],
    });
  });

  it('reports cognito:username and email of an ID token, which has no scopes', async () => {
    const { body } = await call(
      httpApiEvent({ method: 'GET', path: '/person', claims: { ...ID_TOKEN_CLAIMS } }),
    );

    expect(body.caller).toEqual({
      sub: ID_TOKEN_CLAIMS.sub,
      username: ID_TOKEN_CLAIMS['cognito:username'],
      email: 'ada@example.com',
      tokenUse: 'id',
      scopes: [],
    });
  });

  it('prefers the scopes API Gateway matched on a scoped route over the raw claim', async () => {
    const { body } = await call(
      httpApiEvent({
        method: 'GET',
        path: '/person',
        claims: { ...ACCESS_TOKEN_CLAIMS },
        scopes: ['openid', 'email'],
      }),
    );

    expect((body.caller as { scopes: string[] }).scopes).toEqual(['openid', 'email']);
  });

  it('echoes a JSON body sent with POST', async () => {
    const { status, body } = await call(
      httpApiEvent({
        method: 'POST',
        path: '/person',
        claims: { ...ACCESS_TOKEN_CLAIMS },
        body: '{"name":"Ada","age":36}',
        contentType: 'application/json',
      }),
    );

    expect(status).toBe(200);
    expect(body.received).toEqual({ name: 'Ada', age: 36 });
  });

  it('decodes a base64-encoded JSON body sent with PUT', async () => {
    const { status, body } = await call(
      httpApiEvent({
        method: 'PUT',
        path: '/person',
        claims: { ...ACCESS_TOKEN_CLAIMS },
        body: Buffer.from('{"name":"Grace"}').toString('base64'),
        isBase64Encoded: true,
      }),
    );

    expect(status).toBe(200);
    expect(body.received).toEqual({ name: 'Grace' });
  });

  it('treats a POST without a body as an empty request, not an error', async () => {
    const { status, body } = await call(
      httpApiEvent({ method: 'POST', path: '/person', claims: { ...ACCESS_TOKEN_CLAIMS } }),
    );

    expect(status).toBe(200);
    expect(body.received).toBeNull();
  });

  it.each(['POST', 'PUT'])('rejects a malformed JSON body on %s with a 400 JSON error', async (method) => {
    const { status, body } = await call(
      httpApiEvent({
        method,
        path: '/person',
        claims: { ...ACCESS_TOKEN_CLAIMS },
        body: '{"name": "Ada",',
        contentType: 'application/json',
      }),
    );

    expect(status).toBe(400);
    expect(body).toEqual({ message: 'Request body is not valid JSON' });
  });

  it('ignores the body of a DELETE, even when it is not JSON', async () => {
    const { status } = await call(
      httpApiEvent({
        method: 'DELETE',
        path: '/person',
        claims: { ...ACCESS_TOKEN_CLAIMS },
        body: 'not json',
      }),
    );

    expect(status).toBe(200);
  });

  it('refuses to answer when the event carries no authorizer claims', async () => {
    const { status, body } = await call(httpApiEvent({ method: 'GET', path: '/person' }));

    expect(status).toBe(401);
    expect(body).toEqual({ message: 'Unauthorized' });
  });

  it('answers 405 with an Allow header for a method the routes do not declare', async () => {
    const result = (await handler(
      httpApiEvent({
        method: 'PATCH',
        path: '/person',
        routeKey: '$default',
        claims: { ...ACCESS_TOKEN_CLAIMS },
      }),
    )) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, POST, PUT, DELETE');
  });
});

describe('routing', () => {
  it('finds the resource from rawPath behind a $default route, stripping the named stage', async () => {
    const { status, body } = await call(
      httpApiEvent({
        method: 'GET',
        path: '/person',
        routeKey: '$default',
        claims: { ...ACCESS_TOKEN_CLAIMS },
      }),
    );

    expect(status).toBe(200);
    expect(body.message).toBe('[GET METHOD]Hello,world');
  });

  it('answers 404 JSON for a path it does not serve', async () => {
    const { status, body } = await call(httpApiEvent({ method: 'GET', path: '/pets', routeKey: '$default' }));

    expect(status).toBe(404);
    expect(body).toEqual({ message: 'Not Found' });
  });

  it('turns an unexpected failure into a generic 500 without leaking the error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = httpApiEvent({ method: 'GET', path: '/' });
    // A getter that throws stands in for any bug deeper in the handler.
    Object.defineProperty(broken.requestContext.http, 'method', {
      get() {
        throw new Error('secret detail');
      },
    });

    const result = (await handler(broken)) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(500);
    expect(result.body).toBe('{"message":"Internal Server Error"}');
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]?.[0])).not.toContain('secret detail');
    log.mockRestore();
  });
});

describe('callerIdentity', () => {
  it('returns nothing when the claims lack a subject', () => {
    expect(callerIdentity({ claims: { username: 'x' }, scopes: null })).toBeUndefined();
  });

  it('stringifies non-string claim values defensively', () => {
    const caller = callerIdentity({
      claims: { sub: 'abc', scope: ['a', 'b'], email: 'e@x.io' },
      scopes: null,
    });

    expect(caller).toEqual({
      sub: 'abc',
      username: undefined,
      email: 'e@x.io',
      tokenUse: undefined,
      scopes: ['a', 'b'],
    });
  });
});
