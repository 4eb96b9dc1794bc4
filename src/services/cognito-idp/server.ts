import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Urls } from '../../config/index.js';
import { createEdge, type Edge } from '../../edge/index.js';
import { type AwsService, jsonService, type OperationRegistry } from '../../protocols/index.js';
import {
  closeHttpServer,
  createHttpServer,
  httpOrigin,
  type ListenerLimits,
  listenHttp,
} from '../../shared/listen.js';
import { startPurgeTimer } from '../../shared/purgeTimer.js';
import { COGNITO_CODES, model, type Operation, operations } from './api/index.js';
import {
  CognitoError,
  InternalErrorException,
  SerializationException,
  UnknownOperationException,
} from './errors.js';
import { renderInboxHtml } from './mail/html.js';
import type { Outbox } from './mail/types.js';
import type { IdpService } from './service/index.js';
import { registerTestClock } from './testClock.js';

const JSON_TYPE = 'application/x-amz-json-1.1';
const DEFAULT_BODY_LIMIT = 256 * 1024;

/** Browsers (amazon-cognito-identity-js in a web app) call the API cross-origin, as they do with Cognito. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
} as const;

/**
 * The user pool API as an awsJson 1.1 service on the protocol layer (`X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Op>`): bodies are validated against the botocore model, errors are Cognito's
 * `{"__type","message"}`. Request bodies are never logged: they carry passwords and tokens.
 */
export function cognitoIdpService(service: IdpService, bodyLimit = DEFAULT_BODY_LIMIT): AwsService {
  const registry: OperationRegistry = Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [
      name,
      (input: unknown) => (op as Operation<unknown, unknown>)({ service }, input),
    ]),
  );
  return jsonService({ model, operations: registry, codes: COGNITO_CODES, bodyLimit, headers: CORS_HEADERS });
}

export interface IdpServerOptions {
  service: IdpService;
  /** The one source of every URL: issuer, JWKS, discovery, OAuth endpoints, inbox. */
  urls: Urls;
  outbox: Outbox;
  log: Logger;
  /** Largest accepted request body in bytes; default 256 KiB. */
  bodyLimit?: number;
  /** How often expired challenge sessions are purged; default one minute (0 turns it off). */
  purgeEveryMs?: number;
  /** An already-listening node:http server to serve on (so URLs can name its port before routes exist). */
  server?: Server;
  /** Time limits of the server bound when `server` is not given (the shared defaults otherwise). */
  limits?: ListenerLimits;
  /**
   * The one AWS endpoint this server is part of: the user pool API is registered on it, and what is not an AWS call
   * (JWKS, discovery, inbox) falls through to this server's routes. Default: an edge of its own.
   */
  edge?: Edge;
  /** The opt-in test clock (`--test-clock`); without it `/_gatehouse/clock` does not exist. */
  testClock?: TestClockControl;
}

/** What `POST /_gatehouse/clock` moves: the cloud's clock, forward only. */
export interface TestClockControl {
  now(): number;
  /** Moves forward by `ms`; returns the total offset from real time. */
  advance(ms: number): number;
}

/**
 * The OIDC discovery document as Cognito serves it (reference §3a): the same field set, with no
 * `code_challenge_methods_supported` or `grant_types_supported`, since Cognito has neither. Issuer and endpoints come
 * from `urls`, so they always agree with the tokens.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html
 */
export function discoveryDocument(urls: Urls, poolId: string): Record<string, unknown> {
  return {
    authorization_endpoint: urls.oauth.authorize,
    end_session_endpoint: urls.oauth.logout,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: urls.issuer(poolId),
    jwks_uri: urls.jwksUri(poolId),
    response_types_supported: ['code', 'token'],
    revocation_endpoint: urls.oauth.revoke,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: urls.oauth.token,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: urls.oauth.userInfo,
  };
}

/** Errors of this server's own routes (malformed or oversized bodies, no target), in Cognito's JSON shape. */
function sendError(reply: FastifyReply, err: CognitoError): FastifyReply {
  return reply
    .code(err.statusCode)
    .header('content-type', JSON_TYPE)
    .header('x-amzn-errortype', `${err.code}:`)
    .header('x-amzn-errormessage', err.message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 512))
    .send(Buffer.from(JSON.stringify({ __type: err.code, message: err.message })));
}

/**
 * The Cognito JSON 1.1 endpoint (`POST /` + `X-Amz-Target`), the pools' JWKS and discovery documents, and the local
 * inbox. SigV4-signed requests are accepted, but the signature is NOT verified: this is a local emulator, and any
 * credentials work (the README says so). Request bodies are never logged: they carry passwords and tokens.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 */
export function createIdpServer(opts: IdpServerOptions): FastifyInstance {
  const { service, urls, outbox, log } = opts;
  const edge = opts.edge ?? createEdge({ log });
  edge.register(cognitoIdpService(service, opts.bodyLimit));
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Never let a slow client hold a socket forever.
    requestTimeout: 30_000,
    // The edge sees every request first: AWS API calls go to their service, the rest to these routes.
    // The server is always given by startIdpServer (bound by the shared listen helper, with its time limits).
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const server = opts.server ?? createHttpServer(opts.limits);
      edge.setFallback(handler);
      server.on('request', edge.listener);
      return server;
    },
  });

  // Every body is read as text and parsed here, so malformed JSON becomes the protocol's SerializationException.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-amzn-requestid', req.id);
    reply.headers(CORS_HEADERS);
  });
  app.addHook('onResponse', async (req, reply) => {
    log.info(
      {
        reqId: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        op: (req as { op?: string }).op,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof CognitoError) return sendError(reply, err);
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, new SerializationException('Request body is too large.'));
    }
    if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) {
      return sendError(reply, new SerializationException('Unable to read the request body.'));
    }
    // Only the request id and the error go to the log; the client gets a generic 500.
    log.error({ reqId: req.id, err }, 'unexpected error');
    return sendError(reply, new InternalErrorException());
  });

  app.options('/*', async (_req, reply) =>
    reply
      .code(200)
      .header('access-control-allow-methods', 'POST, GET, OPTIONS')
      .header('access-control-allow-headers', '*')
      .header('access-control-max-age', '86400')
      .send(),
  );

  // A POST without an X-Amz-Target (and unsigned) is not routed by the edge: answer as the API would.
  app.post('/', async () => {
    throw new UnknownOperationException('Missing or unknown X-Amz-Target');
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (req, reply) => {
    const pool = service.findPool(req.params.poolId);
    if (!pool) return reply.code(404).send({ message: 'User pool not found' });
    return reply.header('cache-control', 'max-age=300').send(service.pools.jwks(pool.id));
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    const pool = service.findPool(req.params.poolId);
    if (!pool) return reply.code(404).send({ message: 'User pool not found' });
    return reply.send(discoveryDocument(urls, pool.id));
  });

  const inboxPath = new URL(urls.inboxUrl).pathname;
  const inbox = async (html: boolean, to: unknown, reply: FastifyReply) => {
    const address = typeof to === 'string' && to !== '' ? to : undefined;
    const entries = outbox.list(address, 200);
    if (html) {
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .send(renderInboxHtml(entries, address ? { to: address } : {}));
    }
    return reply.send(entries.map((e) => ({ to: e.to, subject: e.subject, text: e.text, sentAt: e.sentAt })));
  };
  app.get<{ Querystring: { to?: string } }>(inboxPath, async (req, reply) => {
    const accept = String(req.headers.accept ?? '');
    return inbox(accept.includes('text/html') && !accept.includes('application/json'), req.query.to, reply);
  });
  app.get<{ Querystring: { to?: string } }>(`${inboxPath}.html`, async (req, reply) =>
    inbox(true, req.query.to, reply),
  );

  if (opts.testClock) registerTestClock(app, opts.testClock);

  app.setNotFoundHandler(async (_req, reply) => reply.code(404).send({ message: 'Not Found' }));

  const stopPurge = startPurgeTimer(
    opts.purgeEveryMs ?? 60_000,
    () => service.purgeExpired(),
    (err) => log.warn({ err }, 'purge failed'),
  );
  app.addHook('onClose', async () => stopPurge());
  return app;
}

export interface RunningIdp {
  /** e.g. `http://127.0.0.1:54321` */
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the IdP server (127.0.0.1 by default; port 0 picks a free port, as tests do). */
export async function startIdpServer(
  opts: IdpServerOptions & { host?: string; port?: number },
): Promise<RunningIdp> {
  const host = opts.host ?? '127.0.0.1';
  // Bound by the shared helper, so this port has the same time limits as every other (Fastify's own
  // `requestTimeout` is not applied to a server it did not create).
  const server = opts.server ?? (await listenHttp(host, opts.port ?? 0, opts.limits)).server;
  const app = createIdpServer({ ...opts, server });
  await app.ready();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    url: httpOrigin(host, port),
    port,
    app,
    close: async () => {
      await app.close();
      if (!opts.server) await closeHttpServer(server);
    },
  };
}
