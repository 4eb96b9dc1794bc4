/**
 * The gateway's edge: one node:http listener per HTTP API (plain node:http on this hot path; bench/gateway.ts is
 * why), each made by the shared listen helper so it has the same time limits as every other port. It turns a Node
 * request into a {@link PipelineRequest}, runs the pipeline and writes what comes back. No request can crash it:
 * anything unexpected becomes a 500 with the request id in the log.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Clock } from '../../shared/clock.js';
import type { FunctionInvoker } from '../../shared/invoker.js';
import {
  type BoundServer,
  closeHttpServer,
  DEFAULT_LISTENER_LIMITS,
  httpOrigin,
  type ListenerLimits,
  listenHttp,
} from '../../shared/listen.js';
import type { Logger } from '../../shared/logger.js';
import { defaultResolveIssuer, type ResolveIssuer } from './authorizer.js';
import { BodyMeter, readBody } from './body.js';
import { type CompiledApi, createApiCompiler, type ServedApiSpec } from './compile.js';
import { errorBody, GATEWAY_ERRORS, MAX_BODY_BYTES } from './errors.js';
import { newRequestId } from './ids.js';
import { type AccessLogEntry, createPipeline } from './pipeline.js';
import { errorResponse, type GatewayResponse } from './response.js';
import { ACCOUNT_THROTTLING, type ThrottleSettings, TokenBucket } from './throttle.js';

export type { AccessLogEntry } from './pipeline.js';

/** The gateway's logger: the one shared type. */
export type GatewayLogger = Logger;

export interface GatewayOptions {
  apis: readonly ServedApiSpec[];
  invoker: FunctionInvoker;
  clock: Clock;
  log: Logger;
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
  /** An already-bound server for the first API, instead of binding `host:port` here. */
  server?: BoundServer;
  /** Request, header and keep-alive time limits of every listener; default the shared ones. */
  limits?: ListenerLimits;
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
  /** The origin of the main listener (the first API's), e.g. `http://127.0.0.1:9231`. */
  url: string;
  apis: { logicalId: string; id: string; url: string; stages: { name: string; url: string }[] }[];
  /** Bytes of request bodies held in memory now, and the most held at once since start. */
  bodyBytes(): { buffered: number; peak: number };
  /**
   * Serves exactly these API specs from now on (a re-synth, or any change made through API Gateway's API). Invalid
   * specs throw and leave the running ones untouched. Reloads apply in call order.
   */
  reload(apis: readonly ServedApiSpec[]): Promise<void>;
  /** The origin an API is served on (`http://127.0.0.1:9231`), once it is served. */
  endpointOf(apiId: string): string | undefined;
  close(): Promise<void>;
}

interface Listener {
  server: Server;
  port: number;
  /** The API this port serves (when the Host does not name another); none on an idle main port. */
  api: CompiledApi | undefined;
}

/** `{api-id}.execute-api.<anything>[:port]`: the Host AWS gives an API, whatever port the request came in on. */
const EXECUTE_API_HOST = /^([a-z0-9]{10})\.execute-api\./i;

/**
 * Starts the local API Gateway HTTP API: stage prefixes for named stages, route selection, JWT authorization,
 * throttling, CORS, payload 2.0 Lambda proxy integrations through the FunctionInvoker, and access logs.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  const limits = options.limits ?? DEFAULT_LISTENER_LIMITS;
  const requestIds = options.requestIds ?? newRequestId;
  const meter = new BodyMeter();
  const compile = createApiCompiler({
    resolveIssuer: options.resolveIssuer ?? defaultResolveIssuer,
    clock: options.clock,
    log: options.log,
    jwksPenaltyMs: options.jwksPenaltyMs,
    account:
      options.accountThrottling === false
        ? undefined
        : new TokenBucket(options.accountThrottling ?? ACCOUNT_THROTTLING, options.clock),
  });
  const pipeline = createPipeline({
    invoker: options.invoker,
    clock: options.clock,
    log: options.log,
    accountId: options.accountId,
    ...(options.accessLogSink ? { accessLogSink: options.accessLogSink } : {}),
  });
  /** The API listeners by API id; the main listener (the first port) is one of them when it serves an API. */
  const listeners = new Map<string, Listener>();
  /** Every compiled API by id, for Host-based routing on any port. */
  let byId = new Map<string, CompiledApi>();

  const serve = async (listener: Listener, req: IncomingMessage, res: ServerResponse, requestId: string) => {
    const named = EXECUTE_API_HOST.exec(req.headers.host ?? '')?.[1]?.toLowerCase();
    const api = (named !== undefined ? byId.get(named) : undefined) ?? listener.api;
    if (api === undefined) {
      sendRaw(res, errorResponse(GATEWAY_ERRORS.notFound), requestId);
      return;
    }
    const result = await pipeline(api, {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      rawHeaders: req.rawHeaders,
      httpVersion: req.httpVersion,
      sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      port: listener.port,
      requestId,
      readBody: () =>
        readBody(
          req,
          req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined,
          MAX_BODY_BYTES,
          meter,
        ),
    });
    if (result === 'aborted') {
      res.destroy();
      return;
    }
    if (result.close && !req.complete) res.shouldKeepAlive = false;
    const { response } = result;
    res.writeHead(response.statusCode, response.headers);
    res.end(req.method === 'HEAD' ? undefined : response.body);
  };

  let preBound = options.server;
  const listen = async (api: CompiledApi | undefined, port: number): Promise<Listener> => {
    const bound = preBound ?? (await listenHttp(host, port, limits, { maxHeaderSize: 64 * 1024 }));
    preBound = undefined;
    const listener: Listener = { server: bound.server, port: bound.port, api };
    const server = bound.server;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // Drawn here so the generic 500 and its log line carry the same id the client sees.
      const requestId = requestIds();
      serve(listener, req, res, requestId).catch((err: unknown) => {
        options.log.error({ requestId, err: errorSummary(err) }, 'gateway failed to answer a request');
        if (!res.headersSent) sendRaw(res, errorResponse(GATEWAY_ERRORS.internal), requestId);
        else res.destroy();
      });
    });
    // Without this listener Node answers an unknown `Expect` with a bare 417 of its own, without a request id.
    server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
      sendRaw(res, errorResponse(GATEWAY_ERRORS.expectationFailed), requestIds());
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Node's parser refused the request (garbage, or headers above maxHeaderSize), or a time limit ran out.
      if (!socket.writable || err.code === 'ECONNRESET') {
        socket.destroy();
        return;
      }
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
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
    return listener;
  };

  const publicHost = options.publicHost ?? host;
  const origin = (l: Listener) => httpOrigin(publicHost, l.port);

  const describe = (): RunningGateway['apis'] =>
    [...listeners.values()].flatMap((l) => {
      if (l.api === undefined) return [];
      const stages = l.api.spec.stages.map((s) => ({
        name: s.name,
        url: s.name === '$default' ? origin(l) : `${origin(l)}/${s.name}`,
      }));
      const main = stages.find((s) => s.name !== '$default') ?? stages[0];
      return [{ logicalId: l.api.spec.logicalId, id: l.api.spec.id, url: main?.url ?? origin(l), stages }];
    });

  // The main port is bound whatever the topology holds (an empty cloud serves the APIs created later on it).
  const main = await listen(undefined, options.port ?? 0);
  preBound = undefined;

  /**
   * Serves exactly `apis` from now on: an API keeps its port across reloads; a new one takes the main port when
   * that is free, else a port of its own; a deleted one leaves its port (a port of its own is closed).
   */
  const apply = async (next: CompiledApi[]) => {
    const ids = new Set(next.map((a) => a.spec.id));
    for (const [id, l] of [...listeners]) {
      if (ids.has(id)) continue;
      listeners.delete(id);
      if (l === main) main.api = undefined;
      else await closeHttpServer(l.server);
    }
    byId = new Map(next.map((a) => [a.spec.id, a]));
    for (const api of next) {
      const l = listeners.get(api.spec.id);
      if (l) l.api = api;
      else if (main.api === undefined) {
        main.api = api;
        listeners.set(api.spec.id, main);
      } else listeners.set(api.spec.id, await listen(api, 0));
    }
  };

  try {
    await apply(options.apis.map(compile));
  } catch (err) {
    await Promise.all([...new Set([main, ...listeners.values()])].map((l) => closeHttpServer(l.server)));
    listeners.clear();
    throw err;
  }
  if (listeners.size === 0)
    options.log.info({ url: origin(main) }, 'no HTTP API yet: the gateway port answers 404 until one exists');
  for (const a of describe()) options.log.info({ api: a.logicalId, url: a.url }, 'HTTP API listening');

  let queue: Promise<void> = Promise.resolve();
  return {
    get url() {
      return origin(main);
    },
    get apis() {
      return describe();
    },
    endpointOf(apiId) {
      const l = listeners.get(apiId);
      return l ? origin(l) : undefined;
    },
    bodyBytes: () => ({ buffered: meter.buffered, peak: meter.peak }),
    async reload(apis) {
      const next = apis.map(compile); // throws (rejects) before anything changes
      const run = queue.then(() => apply(next));
      queue = run.catch(() => undefined);
      await run;
    },
    async close() {
      await queue;
      const all = new Set([main, ...listeners.values()]);
      listeners.clear();
      await Promise.all([...all].map((l) => closeHttpServer(l.server)));
    },
  };
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
