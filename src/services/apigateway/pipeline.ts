/**
 * The gateway's request pipeline, request in, response out, with no socket in sight: stage, quotas, route and CORS
 * preflight, throttling, JWT authorization, and only then the body and the Lambda proxy integration (payload 2.0).
 * The node:http edge is in listener.ts.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
import type { Clock } from '../../shared/clock.js';
import type { FunctionInvoker } from '../../shared/invoker.js';
import type { Logger } from '../../shared/logger.js';
import type { IntegrationSpec, RouteSpec, StageSpec } from '../cloudformation/types.js';
import { formatAccessLog } from './access-log.js';
import type { IdentityInput, JwtAuthorizer } from './authorizer.js';
import type { BodyResult } from './body.js';
import type { CompiledApi } from './compile.js';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';
import { GATEWAY_ERRORS, MAX_BODY_BYTES, MAX_REQUEST_LINE_AND_HEADER_BYTES } from './errors.js';
import { domainOf, formatRequestTime, type GatewayRequest, toEventV2 } from './event.js';
import { newTraceId } from './ids.js';
import { errorResponse, type GatewayResponse, mapInvokeResult } from './response.js';

export interface AccessLogEntry {
  apiId: string;
  stage: string;
  line: string;
}

/** One request as the edge received it: plain values, and the body only on demand. */
export interface PipelineRequest {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  /** Header names and values in order, as node:http's `rawHeaders`. */
  rawHeaders: readonly string[];
  httpVersion: string;
  sourceIp: string;
  /** The port the request came in on (`x-forwarded-port`). */
  port: number;
  requestId: string;
  /** Reads the body (up to the 10 MB quota). Called at most once, and only after authorization passed. */
  readBody(): Promise<BodyResult>;
}

/**
 * What the edge sends back: a response, or nothing at all (the client went away). `close`: the body was not read
 * (refused first); the edge closes the connection after the answer unless the body had already arrived whole.
 */
export type PipelineResult = { response: GatewayResponse; close: boolean } | 'aborted';

export interface PipelineOptions {
  invoker: FunctionInvoker;
  clock: Clock;
  log: Logger;
  accountId: string;
  accessLogSink?: (entry: AccessLogEntry) => void;
}

export type Pipeline = (api: CompiledApi, req: PipelineRequest) => Promise<PipelineResult>;

/** Builds the pipeline. CORS headers, `apigw-requestid` and `content-length` are set on every response. */
export function createPipeline(options: PipelineOptions): Pipeline {
  // A client addresses few distinct hosts: remember their domainName/domainPrefix instead of re-deriving them.
  const domains = new Map<string, { domainName: string; domainPrefix: string }>();
  const domainFor = (host: string | undefined, apiId: string) => {
    const key = `${apiId} ${host ?? ''}`;
    let d = domains.get(key);
    if (!d) {
      if (domains.size > 1000) domains.clear();
      d = domainOf(host, apiId);
      domains.set(key, d);
    }
    return d;
  };

  return async (api, req) => {
    const { method, url, requestId } = req;
    const startMs = options.clock.now();
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQueryString = q === -1 ? '' : url.slice(q + 1);
    const raw = req.rawHeaders;
    const pairs: [string, string][] = [];
    const headers = new Map<string, string>();
    let headerBytes = method.length + url.length + 10; // "METHOD URL HTTP/1.1"
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i] as string;
      const value = raw[i + 1] as string;
      headerBytes += value.length;
      pairs.push([name, value]);
      const lower = name.toLowerCase();
      const prev = headers.get(lower);
      headers.set(lower, prev === undefined ? value : `${prev},${value}`);
    }
    const header = (name: string) => headers.get(name);
    const { domainName, domainPrefix } = domainFor(header('host'), api.spec.id);

    // What the request learns along the way for `$context.*`; the rest is filled in only when a line is written.
    const vars: Record<string, string | number | undefined> = {};
    let stage: StageSpec | undefined;

    // The preflight answer carries its own CORS headers; every other response gets the configured ones.
    const finish = (response: GatewayResponse, opts: { preflight?: boolean; close?: boolean } = {}) => {
      const cors = api.spec.cors;
      const out =
        cors && !opts.preflight ? applyCors(cors, header('origin'), response.headers) : response.headers;
      out['apigw-requestid'] = requestId;
      out['content-length'] = String(response.body.length);
      if (stage?.accessLogFormat && options.accessLogSink) {
        Object.assign(vars, {
          requestId,
          extendedRequestId: requestId,
          apiId: api.spec.id,
          accountId: options.accountId,
          domainName,
          domainPrefix,
          httpMethod: method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          requestTime: formatRequestTime(startMs),
          requestTimeEpoch: startMs,
          'identity.sourceIp': req.sourceIp,
          'identity.userAgent': header('user-agent'),
        });
        vars.status = response.statusCode;
        vars.responseLength = response.body.length;
        vars.responseLatency = options.clock.now() - startMs;
        vars.stage = stage.name;
        vars['error.message'] = response.error?.message;
        vars['error.responseType'] = response.error?.responseType;
        vars.integrationErrorMessage = response.integrationErrorMessage;
        vars['integration.error'] = response.integrationErrorMessage;
        options.accessLogSink({
          apiId: api.spec.id,
          stage: stage.name,
          line: formatAccessLog(stage.accessLogFormat, vars),
        });
      }
      return { response: { ...response, headers: out }, close: opts.close ?? false };
    };

    // 1. Stage: an explicit stage match, else the $default stage, else 404 (http-api-develop-routes.md).
    let stagePath = rawPath;
    const slash = rawPath.indexOf('/', 1);
    const first = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
    const named = api.named.get(first);
    const served = named ?? api.defaultStage;
    if (named) stagePath = slash === -1 ? '/' : rawPath.slice(slash);
    stage = served?.spec;
    // A stage without a deployment serves nothing: `{"message":"Not Found"}` for every request.
    if (!stage || !served?.parts) return finish(errorResponse(GATEWAY_ERRORS.notFound));
    const parts = served.parts;
    vars.stage = stage.name;

    // Quotas: request line + header values 10240 bytes, payload 10 MB (limits.md).
    if (headerBytes > MAX_REQUEST_LINE_AND_HEADER_BYTES)
      return finish(errorResponse(GATEWAY_ERRORS.headersTooLarge));
    const declared = Number(header('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES)
      return finish(errorResponse(GATEWAY_ERRORS.payloadTooLarge), { close: true });

    // 2. Route, and CORS preflights. The gateway answers a preflight itself, even with no OPTIONS route; but an
    // explicit OPTIONS route, or the $default route that catches everything, gets it like any request (with its
    // authorizer), as http-api-cors.md says of $default. [unverified] ANY routes are treated like the others:
    // they don't take preflights.
    const match = parts.table.match(method, stagePath);
    if (api.spec.cors && isPreflight(method, header)) {
      const own =
        match && (match.route.routeKey === '$default' || match.route.routeKey.startsWith('OPTIONS '));
      if (!own) {
        return finish(
          { statusCode: 204, headers: preflightHeaders(api.spec.cors, header), body: Buffer.alloc(0) },
          { preflight: true },
        );
      }
    }
    if (!match) return finish(errorResponse(GATEWAY_ERRORS.notFound));
    const route = match.route;
    vars.routeKey = route.routeKey;

    // 3. Throttling: account, then the route's (or the stage default's) token bucket.
    if (!api.throttler.allow(stage.name, route.routeKey))
      return finish(errorResponse(GATEWAY_ERRORS.throttled));

    // 4. Authorization, before a byte of the body is read: a request that will be refused costs no memory. Its
    // unread body is not drained either; the connection closes after the answer.
    let jwt: { claims: Record<string, unknown>; routeScopes: readonly string[] } | undefined;
    const hasBody = header('content-length') !== undefined || header('transfer-encoding') !== undefined;
    if (route.authorizationType === 'JWT') {
      const authorizer = parts.authorizers.get(route.authorizerLogicalId ?? '') as JwtAuthorizer;
      let query: URLSearchParams | undefined;
      const input: IdentityInput = {
        header,
        query: (name) => {
          query ??= new URLSearchParams(rawQueryString);
          const all = query.getAll(name);
          return all.length === 0 ? undefined : all.join(',');
        },
      };
      const result = await authorizer.authorize(input, route.authorizationScopes);
      if (!result.ok) {
        vars['authorizer.error'] = result.reason;
        const e = result.status === 403 ? GATEWAY_ERRORS.forbidden : GATEWAY_ERRORS.unauthorized;
        return finish(errorResponse(e, { 'www-authenticate': result.wwwAuthenticate }), { close: hasBody });
      }
      jwt = { claims: result.claims, routeScopes: route.authorizationScopes };
      // Only a format that names claims pays for copying every claim into the variables.
      if (stage.accessLogFormat?.includes('$context.authorizer.claims.')) {
        for (const [k, v] of Object.entries(result.claims)) {
          vars[`authorizer.claims.${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    } else if (route.authorizationType !== 'NONE') {
      return finish(
        {
          ...errorResponse(GATEWAY_ERRORS.internal),
          integrationErrorMessage: `authorization type ${route.authorizationType} is not emulated`,
        },
        { close: hasBody },
      );
    }

    // 5. The body, refused while it streams in once it passes the quota.
    const body = await req.readBody();
    if (body === 'aborted') return 'aborted';
    if (body === 'too-large') return finish(errorResponse(GATEWAY_ERRORS.payloadTooLarge), { close: true });

    // 6. Integration: Lambda proxy, payload format 2.0.
    const integration = parts.integrations.get(route.integrationLogicalId ?? '');
    const unusable = integrationProblem(route, integration);
    if (unusable || !integration?.functionName) {
      return finish({
        ...errorResponse(GATEWAY_ERRORS.internal),
        integrationErrorMessage: unusable ?? 'no function',
      });
    }
    const request: GatewayRequest = {
      method,
      rawPath,
      rawQueryString,
      headers: pairs,
      body,
      sourceIp: req.sourceIp,
      protocol: `HTTP/${req.httpVersion}`,
    };
    const event = toEventV2(request, {
      accountId: options.accountId,
      apiId: api.spec.id,
      domainName,
      domainPrefix,
      stage: stage.name,
      routeKey: route.routeKey,
      requestId,
      timeEpoch: startMs,
      traceId: newTraceId(startMs),
      forwardedPort: req.port,
      forwardedProto: 'http',
      pathParameters: match.pathParameters,
      stageVariables: stage.stageVariables,
      jwt,
    });
    const invokeStart = options.clock.now();
    const result = await options.invoker.invoke(integration.functionName, event, {
      timeoutMs: integration.timeoutMs,
    });
    vars.integrationLatency = options.clock.now() - invokeStart;
    vars['integration.latency'] = vars.integrationLatency;
    vars['integration.requestId'] = result.requestId;
    vars.integrationStatus = result.ok ? 200 : undefined;
    vars['integration.status'] = vars.integrationStatus;
    const response = mapInvokeResult(result);
    if (response.integrationErrorMessage) {
      options.log.warn(
        { requestId, route: route.routeKey, reason: response.integrationErrorMessage },
        'integration failed',
      );
    }
    return finish(response);
  };
}

function integrationProblem(route: RouteSpec, integration: IntegrationSpec | undefined): string | undefined {
  if (!integration) return `route ${route.routeKey} has no integration`;
  if (integration.payloadFormatVersion !== '2.0') return 'payload format 1.0 is not emulated';
  if (!integration.functionName)
    return `integration ${integration.logicalId} is not a Lambda proxy integration`;
  return undefined;
}
