import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../shared/clock.js';
import type { FunctionInvoker } from '../../shared/invoker.js';
import type { HttpApiSpec, IntegrationSpec, RouteSpec, StageSpec } from '../cloudformation/types.js';
import { formatAccessLog } from './access-log.js';
import {
  createJwtAuthorizer,
  defaultResolveIssuer,
  type IdentityInput,
  type JwtAuthorizer,
  type ResolveIssuer,
} from './authorizer.js';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';
import { errorBody, GATEWAY_ERRORS, MAX_BODY_BYTES, MAX_REQUEST_LINE_AND_HEADER_BYTES } from './errors.js';
import { domainOf, formatRequestTime, type GatewayRequest, toEventV2 } from './event.js';
import { newRequestId, newTraceId } from './ids.js';
import { IssuerKeys } from './jwks.js';
import { errorResponse, type GatewayResponse, mapInvokeResult } from './response.js';
import { compileRoutes, type RouteTable } from './routes.js';
import { ACCOUNT_THROTTLING, Throttler, type ThrottleSettings, TokenBucket } from './throttle.js';

/** The subset of a pino logger the gateway uses. */
export interface GatewayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AccessLogEntry {
  apiId: string;
  stage: string;
  line: string;
}

export interface GatewayOptions {
  apis: readonly HttpApiSpec[];
  invoker: FunctionInvoker;
  clock: Clock;
  log: GatewayLogger;
  region: string;
  accountId: string;
  /** Maps template issuers to local ones; default: the issuer as given, discovery under it. */
  resolveIssuer?: ResolveIssuer;
  /** Where to listen. Default 127.0.0.1. */
  host?: string;
  /** The host put in the URLs handed out (`apis[].url`), when it differs from `host` (e.g. `0.0.0.0`). */
  publicHost?: string;
  /** The first API listens here (0 = any free port); the others on free ports. Default 0. */
  port?: number;
  /** Receives one line per request for stages with an access log format. */
  accessLogSink?: (entry: AccessLogEntry) => void;
  /** Request id source; default 11 random bytes in base64, the shape of real ids (`ZhMpgigvDoEEPlg=`). */
  requestIds?: () => string;
  /** The account-level token bucket; `false` turns it off. Default 10,000 rps, burst 5,000. */
  accountThrottling?: ThrottleSettings | false;
  /** The JWKS penalty box (default 10 s). */
  jwksPenaltyMs?: number;
}

export interface RunningGateway {
  /** The origin of the first API's listener, e.g. `http://127.0.0.1:9231`. */
  url: string;
  apis: { logicalId: string; id: string; url: string; stages: { name: string; url: string }[] }[];
  /** Swaps in new API specs (after a re-synth). Invalid specs throw and leave the running ones untouched. */
  reload(apis: readonly HttpApiSpec[]): Promise<void>;
  close(): Promise<void>;
}

interface CompiledApi {
  spec: HttpApiSpec;
  table: RouteTable;
  named: Map<string, StageSpec>;
  defaultStage: StageSpec | undefined;
  authorizers: Map<string, JwtAuthorizer>;
  integrations: Map<string, IntegrationSpec>;
  throttler: Throttler;
}

interface Listener {
  server: Server;
  port: number;
  api: CompiledApi;
}

const LOCAL_PROTOCOLS = new Set(['NONE', 'JWT']);

/**
 * Starts the local API Gateway HTTP API: one node:http listener per API (plain node:http on this hot path; the
 * benchmark in bench/gateway.ts is why), stage prefixes for named stages, route selection, JWT authorization,
 * throttling, CORS, payload 2.0 Lambda proxy integrations through the FunctionInvoker, and access logs.
 * No request can crash it: anything unexpected becomes a 500 with the request id in the log.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  const resolveIssuer = options.resolveIssuer ?? defaultResolveIssuer;
  const requestIds = options.requestIds ?? newRequestId;
  const keyStores = new Map<string, IssuerKeys>();
  const account =
    options.accountThrottling === false
      ? undefined
      : new TokenBucket(options.accountThrottling ?? ACCOUNT_THROTTLING, options.clock);

  const keysFor = (discoveryUrl: string) => {
    let keys = keyStores.get(discoveryUrl);
    if (!keys) {
      keys = new IssuerKeys({
        discoveryUrl,
        clock: options.clock,
        penaltyMs: options.jwksPenaltyMs,
        onFetchError: (url, message) =>
          options.log.warn(
            { discoveryUrl: url, reason: message },
            'JWT authorizer could not fetch the issuer keys',
          ),
      });
      keyStores.set(discoveryUrl, keys);
    }
    return keys;
  };

  const compile = (spec: HttpApiSpec): CompiledApi => {
    const authorizers = new Map<string, JwtAuthorizer>();
    for (const a of spec.authorizers) {
      if (a.type !== 'JWT') continue;
      const { issuer, discoveryUrl } = resolveIssuer(a.issuer);
      authorizers.set(
        a.logicalId,
        createJwtAuthorizer({ spec: a, issuer, keys: keysFor(discoveryUrl), clock: options.clock }),
      );
    }
    for (const r of spec.routes) {
      if (!LOCAL_PROTOCOLS.has(r.authorizationType)) {
        options.log.warn(
          { api: spec.logicalId, route: r.routeKey, authorizationType: r.authorizationType },
          'authorization type not emulated locally: requests to this route are denied with 500',
        );
      } else if (r.authorizationType === 'JWT' && !authorizers.has(r.authorizerLogicalId ?? '')) {
        throw new Error(
          `api ${spec.logicalId}: route "${r.routeKey}" names JWT authorizer ${r.authorizerLogicalId}, which is not a JWT authorizer of this API`,
        );
      }
    }
    const integrations = new Map(spec.integrations.map((i) => [i.logicalId, i]));
    for (const i of spec.integrations) {
      if (i.payloadFormatVersion !== '2.0') {
        options.log.warn(
          { api: spec.logicalId, integration: i.logicalId },
          'payload format 1.0 is not emulated: requests answer 500',
        );
      }
    }
    return {
      spec,
      table: compileRoutes(spec.routes),
      named: new Map(spec.stages.filter((s) => s.name !== '$default').map((s) => [s.name, s])),
      defaultStage: spec.stages.find((s) => s.name === '$default'),
      authorizers,
      integrations,
      throttler: new Throttler(spec.stages, options.clock, account),
    };
  };

  const listeners: Listener[] = [];

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

  const listen = async (api: CompiledApi, port: number): Promise<Listener> => {
    const server = createServer({ maxHeaderSize: 64 * 1024 });
    const listener: Listener = { server, port: 0, api };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // Drawn here so the generic 500 and its log line carry the same id the client sees.
      const requestId = requestIds();
      handle(listener, req, res, requestId).catch((err: unknown) => {
        options.log.error({ requestId, err: errorSummary(err) }, 'gateway failed to answer a request');
        if (!res.headersSent) {
          sendRaw(res, errorResponse(GATEWAY_ERRORS.internal), requestId);
        } else {
          res.destroy();
        }
      });
    });
    // Without this listener Node answers an unknown `Expect` with a bare 417 of its own, without a request id.
    server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
      sendRaw(res, errorResponse(GATEWAY_ERRORS.expectationFailed), requestIds());
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Node's parser refused the request (garbage, or headers above maxHeaderSize). Answer like the gateway does.
      if (!socket.writable || (err as { code?: string }).code === 'ECONNRESET') {
        socket.destroy();
        return;
      }
      const e =
        err.code === 'HPE_HEADER_OVERFLOW' ? GATEWAY_ERRORS.headersTooLarge : GATEWAY_ERRORS.badRequest;
      const body = errorBody(e);
      socket.end(
        `HTTP/1.1 ${e.statusCode} ${e.message}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(
          body,
        )}\r\napigw-requestid: ${requestIds()}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    listener.port = (server.address() as AddressInfo).port;
    return listener;
  };

  const publicHost = options.publicHost ?? host;
  const origin = (l: Listener) =>
    `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${l.port}`;

  const describe = (): RunningGateway['apis'] =>
    listeners.map((l) => {
      const stages = l.api.spec.stages.map((s) => ({
        name: s.name,
        url: s.name === '$default' ? origin(l) : `${origin(l)}/${s.name}`,
      }));
      const main = stages.find((s) => s.name !== '$default') ?? stages[0];
      return { logicalId: l.api.spec.logicalId, id: l.api.spec.id, url: main?.url ?? origin(l), stages };
    });

  const handle = async (
    listener: Listener,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<void> => {
    const api = listener.api;
    const startMs = options.clock.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
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
    const sourceIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const { domainName, domainPrefix } = domainFor(header('host'), api.spec.id);

    // What the request learns along the way for `$context.*`; the rest is filled in only when a line is written.
    const vars: Record<string, string | number | undefined> = {};
    let stage: StageSpec | undefined;

    // The preflight answer carries its own CORS headers; every other response gets the configured ones.
    const finish = (response: GatewayResponse, preflight = false) => {
      const cors = api.spec.cors;
      const out = cors && !preflight ? applyCors(cors, header('origin'), response.headers) : response.headers;
      out['apigw-requestid'] = requestId;
      out['content-length'] = String(response.body.length);
      res.writeHead(response.statusCode, out);
      res.end(method === 'HEAD' ? undefined : response.body);
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
          'identity.sourceIp': sourceIp,
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
    };

    // 1. Stage: an explicit stage match, else the $default stage, else 404 (http-api-develop-routes.md).
    let stagePath = rawPath;
    const slash = rawPath.indexOf('/', 1);
    const first = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
    const named = api.named.get(first);
    if (named) {
      stage = named;
      stagePath = slash === -1 ? '/' : rawPath.slice(slash);
    } else {
      stage = api.defaultStage;
    }
    if (!stage) return finish(errorResponse(GATEWAY_ERRORS.notFound));
    vars.stage = stage.name;

    // Quotas: request line + header values 10240 bytes, payload 10 MB (limits.md).
    if (headerBytes > MAX_REQUEST_LINE_AND_HEADER_BYTES)
      return finish(errorResponse(GATEWAY_ERRORS.headersTooLarge));
    const declared = Number(header('content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) {
      res.shouldKeepAlive = false;
      return finish(errorResponse(GATEWAY_ERRORS.payloadTooLarge));
    }

    // 2. Route, and CORS preflights. The gateway answers a preflight itself, even with no OPTIONS route; but an
    // explicit OPTIONS route, or the $default route that catches everything, gets it like any request (with its
    // authorizer), as http-api-cors.md says of $default. [unverified] ANY routes are treated like the others:
    // they don't take preflights.
    const match = api.table.match(method, stagePath);
    if (api.spec.cors && isPreflight(method, header)) {
      const own =
        match && (match.route.routeKey === '$default' || match.route.routeKey.startsWith('OPTIONS '));
      if (!own) {
        return finish(
          { statusCode: 204, headers: preflightHeaders(api.spec.cors, header), body: Buffer.alloc(0) },
          true,
        );
      }
    }
    if (!match) return finish(errorResponse(GATEWAY_ERRORS.notFound));
    const route = match.route;
    vars.routeKey = route.routeKey;

    // 3. Throttling: account, then the route's (or the stage default's) token bucket.
    if (!api.throttler.allow(stage.name, route.routeKey))
      return finish(errorResponse(GATEWAY_ERRORS.throttled));

    const body = await readBody(req);
    if (body === 'aborted') {
      res.destroy();
      return;
    }
    if (body === 'too-large') {
      res.shouldKeepAlive = false;
      return finish(errorResponse(GATEWAY_ERRORS.payloadTooLarge));
    }

    // 4. Authorization.
    let jwt: { claims: Record<string, unknown>; routeScopes: readonly string[] } | undefined;
    if (route.authorizationType === 'JWT') {
      const authorizer = api.authorizers.get(route.authorizerLogicalId ?? '') as JwtAuthorizer;
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
        return finish(errorResponse(e, { 'www-authenticate': result.wwwAuthenticate }));
      }
      jwt = { claims: result.claims, routeScopes: route.authorizationScopes };
      // Only a format that names claims pays for copying every claim into the variables.
      if (stage.accessLogFormat?.includes('$context.authorizer.claims.')) {
        for (const [k, v] of Object.entries(result.claims)) {
          vars[`authorizer.claims.${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
        }
      }
    } else if (route.authorizationType !== 'NONE') {
      return finish({
        ...errorResponse(GATEWAY_ERRORS.internal),
        integrationErrorMessage: `authorization type ${route.authorizationType} is not emulated`,
      });
    }

    // 5. Integration: Lambda proxy, payload format 2.0.
    const integration = api.integrations.get(route.integrationLogicalId ?? '');
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
      sourceIp,
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
      forwardedPort: listener.port,
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

  const compiled = options.apis.map(compile);
  for (const [i, api] of compiled.entries()) {
    listeners.push(await listen(api, i === 0 ? (options.port ?? 0) : 0));
  }
  if (compiled.length === 0)
    options.log.warn({}, 'no HTTP API in the topology: the gateway listens on nothing');
  for (const a of describe()) options.log.info({ api: a.logicalId, url: a.url }, 'HTTP API listening');

  return {
    get url() {
      return listeners[0] ? origin(listeners[0]) : '';
    },
    get apis() {
      return describe();
    },
    async reload(apis) {
      const next = apis.map(compile); // throws before anything changes
      for (const [i, api] of next.entries()) {
        const l = listeners[i];
        if (l) l.api = api;
        else listeners.push(await listen(api, 0));
      }
      const surplus = listeners.splice(next.length);
      await Promise.all(surplus.map((l) => closeServer(l.server)));
    },
    async close() {
      await Promise.all(listeners.splice(0).map((l) => closeServer(l.server)));
    },
  };
}

function integrationProblem(route: RouteSpec, integration: IntegrationSpec | undefined): string | undefined {
  if (!integration) return `route ${route.routeKey} has no integration`;
  if (integration.payloadFormatVersion !== '2.0') return 'payload format 1.0 is not emulated';
  if (!integration.functionName)
    return `integration ${integration.logicalId} is not a Lambda proxy integration`;
  return undefined;
}

/** Reads the body, stopping at the 10 MB quota; 'aborted' when the client went away before sending it all. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined | 'too-large' | 'aborted'> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('close', () => {
      if (!done) {
        done = true;
        resolve('aborted');
      }
    });
    req.on('error', () => {
      if (!done) {
        done = true;
        resolve('aborted');
      }
    });
  });
}

function sendRaw(res: ServerResponse, response: GatewayResponse, requestId: string): void {
  res.writeHead(response.statusCode, {
    ...response.headers,
    'apigw-requestid': requestId,
    'content-length': String(response.body.length),
  });
  res.end(response.body);
}

function errorSummary(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'NonError', message: String(err) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
