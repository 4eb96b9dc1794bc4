import { describe, expect, it } from 'vitest';
import type { RouteSpec } from '../cloudformation/types.js';
import { compileRoutes } from './routes.js';

function route(routeKey: string): RouteSpec {
  return {
    logicalId: routeKey.replace(/\W+/g, '_'),
    routeKey,
    authorizationType: 'NONE',
    authorizerLogicalId: undefined,
    authorizationScopes: [],
    integrationLogicalId: 'Integration',
  };
}

describe('route precedence (http-api-develop-routes.md, "Routing API requests")', () => {
  // The developer guide's own example set of routes.
  const table = compileRoutes(
    ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'].map(route),
  );
  const golden: [method: string, path: string, routeKey: string, params: Record<string, string>][] = [
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
    ['GET', '/', '$default', {}],
  ];
  for (const [method, path, routeKey, params] of golden) {
    it(`sends ${method} ${path} to ${routeKey}`, () => {
      const m = table.match(method, path);
      expect(m?.route.routeKey).toBe(routeKey);
      expect(m?.pathParameters).toEqual(params);
    });
  }
});

describe('route table', () => {
  it('prefers a method route over ANY on the same resource', () => {
    const table = compileRoutes([route('ANY /person'), route('GET /person')]);
    expect(table.match('GET', '/person')?.route.routeKey).toBe('GET /person');
    expect(table.match('DELETE', '/person')?.route.routeKey).toBe('ANY /person');
  });

  it('prefers ANY on a static resource over a method route with a path parameter', () => {
    const table = compileRoutes([route('GET /pets/{id}'), route('ANY /pets/dog')]);
    expect(table.match('GET', '/pets/dog')?.route.routeKey).toBe('ANY /pets/dog');
    expect(table.match('GET', '/pets/cat')?.route.routeKey).toBe('GET /pets/{id}');
  });

  it('prefers the greedy route with the longer static prefix', () => {
    const table = compileRoutes([
      route('ANY /{proxy+}'),
      route('ANY /a/b/{proxy+}'),
      route('ANY /a/{proxy+}'),
    ]);
    expect(table.match('GET', '/a/b/c')?.route.routeKey).toBe('ANY /a/b/{proxy+}');
    expect(table.match('GET', '/a/x/c')?.route.routeKey).toBe('ANY /a/{proxy+}');
    expect(table.match('GET', '/z')?.route.routeKey).toBe('ANY /{proxy+}');
  });

  it('prefers a static segment where two parameter routes diverge', () => {
    const table = compileRoutes([route('GET /{a}/b'), route('GET /a/{b}')]);
    expect(table.match('GET', '/a/b')?.route.routeKey).toBe('GET /a/{b}');
  });

  it('does not let a greedy variable match its own parent path', () => {
    const table = compileRoutes([route('GET /pets/{proxy+}')]);
    expect(table.match('GET', '/pets')).toBeUndefined();
    expect(table.match('GET', '/pets/')).toBeUndefined();
  });

  it('returns undefined when nothing matches and there is no $default route', () => {
    const table = compileRoutes([route('GET /person')]);
    expect(table.match('POST', '/person')).toBeUndefined();
    expect(table.match('GET', '/people')).toBeUndefined();
    expect(table.match('GET', '/person/1')).toBeUndefined();
  });

  it('decodes path parameters and static segments', () => {
    const table = compileRoutes([route('GET /files/{name}'), route('GET /a b')]);
    expect(table.match('GET', '/files/hello%20world')?.pathParameters).toEqual({ name: 'hello world' });
    expect(table.match('GET', '/a%20b')?.route.routeKey).toBe('GET /a b');
    expect(table.match('GET', '/files/%zz')?.pathParameters).toEqual({ name: '%zz' });
  });

  it('is case-sensitive in paths and not in methods', () => {
    const table = compileRoutes([route('GET /Person')]);
    expect(table.match('get', '/Person')?.route.routeKey).toBe('GET /Person');
    expect(table.match('GET', '/person')).toBeUndefined();
  });

  it('refuses a greedy variable that is not the last segment', () => {
    expect(() => compileRoutes([route('GET /{proxy+}/x')])).toThrow(/must be last/);
  });

  it('refuses a path parameter that is not a whole segment', () => {
    expect(() => compileRoutes([route('GET /pets/id-{id}')])).toThrow(/whole segment/);
  });
});
