import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../protocols/errors.js';
import { newRequestId, send } from '../protocols/http.js';
import { sendJsonError } from '../protocols/json.js';
import { sendQueryError } from '../protocols/query.js';
import type { AwsService, ProtocolLogger, RequestContext } from '../protocols/service.js';
import { credentialScope } from '../protocols/sigv4.js';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface EdgeOptions {
  log: ProtocolLogger;
  services?: readonly AwsService[];
  /** Serves what is not an AWS API call (the IdP's JWKS, discovery documents, inbox, CORS preflights). */
  fallback?: RequestListener;
}

/** The one AWS endpoint: a node:http request listener that routes every AWS API call to its service. */
export interface Edge {
  /** Plugs a service in; a second service claiming the same target prefix or signing name is refused. */
  register(service: AwsService): void;
  setFallback(listener: RequestListener): void;
  /** The `request` listener to put on a node:http server. */
  readonly listener: RequestListener;
  readonly services: readonly AwsService[];
}

/** `<bucket>.localhost[:port]`: S3's virtual-hosted style on this machine. */
const VIRTUAL_HOST = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost(?::\d+)?$/i;

/**
 * Routes, in order:
 * 1. `X-Amz-Target: <prefix>.<Operation>` → the awsJson service with that prefix;
 * 2. `Host: <bucket>.localhost` → the service that takes virtual hosts (S3);
 * 3. the service named in the SigV4 credential scope (`Authorization` header, or `X-Amz-Credential` in the query);
 * 4. everything else → the fallback.
 * An unknown target prefix or signing name gets an AWS error (JSON for a JSON call, `<ErrorResponse>` otherwise),
 * never a 404 page. Signatures are parsed for routing only and are NOT verified.
 */
export function createEdge(opts: EdgeOptions): Edge {
  const services: AwsService[] = [];
  const byTarget = new Map<string, AwsService>();
  const bySigningName = new Map<string, AwsService>();
  let virtualHosts: AwsService | undefined;
  let fallback = opts.fallback;
  const { log } = opts;

  const register = (service: AwsService) => {
    for (const p of service.targetPrefixes ?? []) {
      if (byTarget.has(p)) throw new Error(`X-Amz-Target prefix ${p} is already served`);
    }
    for (const n of service.signingNames) {
      if (bySigningName.has(n)) throw new Error(`signing name ${n} is already served`);
    }
    if (service.virtualHosts && virtualHosts) throw new Error('virtual hosts are already served');
    for (const p of service.targetPrefixes ?? []) byTarget.set(p, service);
    for (const n of service.signingNames) bySigningName.set(n, service);
    if (service.virtualHosts) virtualHosts = service;
    services.push(service);
  };
  for (const s of opts.services ?? []) register(s);

  const run = (service: AwsService, req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      log.info(
        {
          reqId: ctx.requestId,
          service: service.name,
          method: req.method,
          path: req.url?.split('?')[0],
          op: ctx.op,
          status: res.statusCode,
          ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
        },
        'request',
      );
    });
    service.handle(req, res, ctx).catch((err: unknown) => {
      log.error({ reqId: ctx.requestId, service: service.name, err }, 'unexpected error');
      if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal error');
      else res.destroy();
    });
  };

  const listener: RequestListener = (req, res) => {
    const requestId = newRequestId();
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target !== '') {
      const prefix = target.split('.')[0] ?? '';
      const service = byTarget.get(prefix);
      if (service) return run(service, req, res, { requestId, log });
      req.resume();
      const json10 = String(req.headers['content-type'] ?? '').includes('1.0');
      return sendJsonError(
        res,
        new AwsError(
          'UnknownOperationException',
          `No service for X-Amz-Target ${prefix} on this local cloud`,
        ),
        `application/x-amz-json-${json10 ? '1.0' : '1.1'}`,
        requestId,
      );
    }
    const host = VIRTUAL_HOST.exec(String(req.headers.host ?? ''));
    const scope = credentialScope(req);
    if (host && virtualHosts) {
      return run(virtualHosts, req, res, {
        requestId,
        log,
        virtualHostBucket: (host[1] as string).toLowerCase(),
        ...(scope ? { scope } : {}),
      });
    }
    if (scope) {
      const service = bySigningName.get(scope.service);
      if (service) return run(service, req, res, { requestId, log, scope });
      req.resume();
      res.setHeader('x-amzn-errortype', 'UnknownServiceException');
      return sendQueryError(
        res,
        new AwsError(
          'UnknownServiceException',
          `The AWS service ${scope.service} is not served by this local cloud`,
        ),
        undefined,
        requestId,
      );
    }
    if (fallback) return fallback(req, res);
    req.resume();
    send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Not Found' }));
  };

  return {
    register,
    setFallback: (l) => {
      fallback = l;
    },
    listener,
    get services() {
      return services;
    },
  };
}
