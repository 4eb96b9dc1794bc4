import type { RouteSpec } from '../cloudformation/types.js';

/**
 * The route table of one HTTP API: pure, built once per (re)load, queried on every request.
 *
 * Precedence, from "Routing API requests" in the developer guide:
 * 1. a full match of path and method (a `{param}` segment counts as a full match, but a static segment beats a
 *    `{param}` segment in the same position: `GET /pets/dog/1` beats `GET /pets/dog/{id}`);
 * 2. a greedy `{proxy+}` route (the longer static prefix wins);
 * 3. the `$default` route.
 * `ANY` matches only methods that have no route of their own for the same resource path.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
export interface RouteMatch {
  route: RouteSpec;
  /** Decoded path parameters; empty when the route has none. The greedy value keeps its slashes. */
  pathParameters: Record<string, string>;
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch | undefined;
}

type Segment =
  | { kind: 'static'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface CompiledRoute {
  route: RouteSpec;
  method: string;
  segments: Segment[];
  greedy: boolean;
}

// A path parameter must be a whole segment; the greedy one must be last (api-gateway-known-issues.md).
const PARAM = /^\{([A-Za-z0-9_.:-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9_.:-]+)\+\}$/;

/** Splits a path into segments: `/` has none, `/a/b` has two. A trailing slash yields an empty last segment. */
export function splitPath(path: string): string[] {
  if (path === '' || path === '/') return [];
  return (path.startsWith('/') ? path.slice(1) : path).split('/');
}

function compileRoute(route: RouteSpec): CompiledRoute | undefined {
  if (route.routeKey === '$default') return undefined;
  const space = route.routeKey.indexOf(' ');
  if (space <= 0)
    throw new Error(`route ${route.logicalId}: RouteKey "${route.routeKey}" is not "METHOD /path"`);
  const method = route.routeKey.slice(0, space).toUpperCase();
  const path = route.routeKey.slice(space + 1);
  if (!path.startsWith('/'))
    throw new Error(`route ${route.logicalId}: path in "${route.routeKey}" must start with /`);
  const raw = splitPath(path);
  const segments: Segment[] = raw.map((s, i) => {
    const greedy = GREEDY.exec(s);
    if (greedy) {
      if (i !== raw.length - 1) {
        throw new Error(`route ${route.logicalId}: the greedy variable in "${route.routeKey}" must be last`);
      }
      return { kind: 'greedy', name: greedy[1] as string };
    }
    const param = PARAM.exec(s);
    if (param) return { kind: 'param', name: param[1] as string };
    if (s.includes('{') || s.includes('}')) {
      throw new Error(
        `route ${route.logicalId}: a path parameter must be a whole segment in "${route.routeKey}"`,
      );
    }
    return { kind: 'static', value: s };
  });
  return { route, method, segments, greedy: segments.at(-1)?.kind === 'greedy' };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is passed through rather than failing the request, so `%zz` stays `%zz`.
    return segment;
  }
}

/** The path parameters if `route` matches `segments`, else undefined. */
function matchSegments(route: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  const own = route.segments;
  if (route.greedy) {
    // A greedy variable needs at least one segment of its own: `/pets/{proxy+}` does not match `/pets`.
    if (segments.length < own.length) return undefined;
  } else if (segments.length !== own.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < own.length; i++) {
    const seg = own[i] as Segment;
    const value = segments[i] as string;
    if (seg.kind === 'static') {
      if (decode(value) !== seg.value) return undefined;
    } else if (seg.kind === 'param') {
      if (value === '') return undefined;
      params[seg.name] = decode(value);
    } else {
      const rest = segments.slice(i).join('/');
      if (rest === '') return undefined;
      params[seg.name] = decode(rest);
    }
  }
  return params;
}

const RANK: Record<Segment['kind'], number> = { static: 0, param: 1, greedy: 2 };

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = RANK[(a.segments[i] as Segment).kind] - RANK[(b.segments[i] as Segment).kind];
    if (d !== 0) return d;
  }
  // Two greedy routes with equal prefixes: the longer static prefix is the more specific one.
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  if (a.method !== b.method) return a.method === 'ANY' ? 1 : -1;
  return 0;
}

/**
 * Compiles the routes of one API. A route key that API Gateway would refuse (a parameter that is not a whole
 * segment, a greedy variable that is not last) throws here, naming the route.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
export function compileRoutes(routes: readonly RouteSpec[]): RouteTable {
  const compiled: CompiledRoute[] = [];
  let fallback: RouteSpec | undefined;
  for (const route of routes) {
    const c = compileRoute(route);
    if (c) compiled.push(c);
    else fallback = route;
  }
  compiled.sort(compareSpecificity);
  // Exact static routes are the common case (`GET /person`): answer them from a map without scanning.
  const exact = new Map<string, CompiledRoute>();
  for (const c of compiled) {
    if (c.segments.every((s) => s.kind === 'static')) {
      const key = `${c.method} /${c.segments.map((s) => (s as { value: string }).value).join('/')}`;
      if (!exact.has(key)) exact.set(key, c);
    }
  }
  return {
    match(method, path) {
      const m = method.toUpperCase();
      const direct = exact.get(`${m} ${path}`);
      if (direct) return { route: direct.route, pathParameters: {} };
      const segments = splitPath(path);
      // Routes are sorted most specific first, so the first route whose path matches decides the resource;
      // among routes of equal specificity a method route sorts before ANY.
      for (const c of compiled) {
        if (c.method !== m && c.method !== 'ANY') continue;
        const params = matchSegments(c, segments);
        if (params) return { route: c.route, pathParameters: params };
      }
      return fallback ? { route: fallback, pathParameters: {} } : undefined;
    },
  };
}
