import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Urls } from '../../../config/index.js';
import type { Clock } from '../../../shared/clock.js';
import {
  closeHttpServer,
  httpOrigin,
  type ListenerLimits,
  listenHttp as listenShared,
} from '../../../shared/listen.js';
import type { Logger } from '../../../shared/logger.js';
import { startPurgeTimer } from '../../../shared/purgeTimer.js';
import type { IdpService } from '../service/index.js';
import { type HostedUi, sendPage } from './context.js';
import { poolHasNoDomain } from './domainGate.js';
import { sendOAuthError } from './endpoints/json.js';
import { HOSTED_UI_ENDPOINTS } from './endpoints/registry.js';
import { OAuthError, PageError } from './errors.js';
import { mountPage } from './pages/mount.js';
import { HOSTED_UI_PAGES } from './pages/registry.js';
import { DEFAULT_LOGIN_THROTTLE } from './policy.js';
import { pageCsp, renderErrorPage } from './render.js';
import { HostedUiSessions } from './sessions.js';
import type { OAuthStore } from './store.js';
import { LoginThrottle } from './throttle.js';

/** The slice of a pino logger the Hosted UI uses. Only methods, paths and statuses are logged: never a query. */
export type HostedUiLog = Logger;

export interface HostedUiOptions {
  service: IdpService;
  /** The one source of every URL: the Hosted UI base decides the cookies' Secure flag. */
  urls: Urls;
  clock: Clock;
  log: HostedUiLog;
  /** Defaults to the OAuth tables of the service's own SQLite database. */
  store?: OAuthStore;
  /** Login posts per client address per window (default 30 a minute). */
  loginThrottle?: { max: number; windowMs: number };
  /** Key of the CSRF tokens; random per process by default (open forms then expire on restart). */
  csrfKey?: Buffer;
  /** An already-listening node:http server to serve on (so URLs can name its port before routes exist). */
  server?: Server;
  /** How often expired sessions and codes are purged; default one minute (0 turns it off). */
  purgeEveryMs?: number;
  /** Time limits of the server bound when `server` is not given (the shared defaults otherwise). */
  limits?: ListenerLimits;
}

const CSP = pageCsp();

/**
 * The Hosted UI and the OAuth2/OIDC endpoints, on their own listener (one host for every pool, keyed by client_id):
 * the pages of pages/registry.ts (`/login`, `/signup`, `/confirmUser`, `/forceChangePassword`, `/forgotPassword`,
 * `/confirmForgotPassword`) and the endpoints of endpoints/registry.ts (`/oauth2/authorize`, `/logout`,
 * `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`), with Cognito's paths and parameters. This file holds what
 * they share: security headers, request logs, errors and the purge of expired sessions and codes. Sign-in, sign-up,
 * codes, mail, lockout and tokens are the user pool service's, shared with the JSON API.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html
 */
export function createHostedUiServer(opts: HostedUiOptions): FastifyInstance {
  const { service, urls, clock, log } = opts;
  const store = opts.store ?? service.hostedUiStore;
  const ui: HostedUi = {
    service,
    clock,
    store,
    sessions: new HostedUiSessions({
      store,
      clock,
      secure: urls.hostedUiBase().startsWith('https:'),
      csrfKey: opts.csrfKey,
    }),
    throttle: new LoginThrottle(
      clock,
      opts.loginThrottle?.max ?? DEFAULT_LOGIN_THROTTLE.max,
      opts.loginThrottle?.windowMs ?? DEFAULT_LOGIN_THROTTLE.windowMs,
    ),
  };

  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    ...(opts.server
      ? {
          serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
            opts.server?.on('request', handler);
            return opts.server as Server;
          },
        }
      : {}),
  });
  void app.register(formbody);

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-frame-options', 'DENY');
    // A branded page sets its own (pages/mount.ts: the same policy plus its stylesheet's hash).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    reply.header('pragma', 'no-cache');
  });
  app.addHook('onResponse', async (req, reply) => {
    // The path only: queries carry codes, states and nonces.
    log.info(
      {
        reqId: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'hosted ui request',
    );
  });

  const isApi = (req: FastifyRequest) =>
    req.url.startsWith('/oauth2/') && !req.url.startsWith('/oauth2/authorize');

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof OAuthError) return sendOAuthError(reply, err);
    if (err instanceof PageError) return sendPage(reply, err.status, renderErrorPage(err.title, err.message));
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('FST_ERR_CTP')) {
      if (isApi(req))
        return sendOAuthError(
          reply,
          new OAuthError('invalid_request', 'The request body must be form-encoded'),
        );
      return sendPage(reply, 400, renderErrorPage('Invalid request', 'The form could not be read.'));
    }
    log.error({ reqId: req.id, err }, 'unexpected error');
    if (isApi(req)) return sendOAuthError(reply, new OAuthError('server_error', 'Internal error', 500));
    return sendPage(
      reply,
      500,
      renderErrorPage('Something went wrong', `Please try again. Request id ${req.id}.`),
    );
  });
  app.setNotFoundHandler(async (_req, reply) =>
    sendPage(reply, 404, renderErrorPage('Not found', 'There is no page here.')),
  );

  // A pool's Hosted UI exists only while the pool has a domain (./domainGate.ts).
  app.addHook('preHandler', async (req, reply) => {
    if (!poolHasNoDomain(service, req)) return;
    const why = "This app client's user pool has no domain: create one with CreateUserPoolDomain.";
    if (isApi(req)) return sendOAuthError(reply, new OAuthError('invalid_request', why, 404));
    return sendPage(reply, 404, renderErrorPage('Not found', why));
  });

  for (const page of HOSTED_UI_PAGES) mountPage(app, ui, page);
  for (const endpoint of HOSTED_UI_ENDPOINTS) {
    app.route({
      method: [...endpoint.methods],
      url: endpoint.path,
      handler: (req, reply) => endpoint.handle(ui, req, reply),
    });
  }

  const stopPurge = startPurgeTimer(
    opts.purgeEveryMs ?? 60_000,
    () => store.purgeExpired(clock.now()),
    (err) => log.warn({ err }, 'hosted ui purge failed'),
  );
  app.addHook('onClose', async () => stopPurge());
  return app;
}

export interface RunningHostedUi {
  /** e.g. `http://127.0.0.1:54321` */
  url: string;
  port: number;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Binds a node:http server before the Hosted UI exists, so its origin (with the real port, 0 in tests) can go into
 * the URLs the service is built with. Pass the result as `server` to {@link startHostedUiServer}.
 */
export async function listenHttp(
  host = '127.0.0.1',
  port = 0,
  limits?: ListenerLimits,
): Promise<{ server: Server; origin: string; port: number }> {
  const bound = await listenShared(host, port, limits);
  return { server: bound.server, origin: httpOrigin(host, bound.port), port: bound.port };
}

/**
 * Starts the Hosted UI (127.0.0.1 by default; port 0 picks a free port), or serves it on `server`. A port bound here
 * is bound by the shared listen helper, so it has the same time limits as every other port.
 */
export async function startHostedUiServer(
  opts: HostedUiOptions & { host?: string; port?: number; limits?: ListenerLimits },
): Promise<RunningHostedUi> {
  const host = opts.host ?? '127.0.0.1';
  // Bound by the shared helper, so this port has the same time limits as every other (Fastify's own
  // `requestTimeout` is not applied to a server it did not create).
  const server = opts.server ?? (await listenShared(host, opts.port ?? 0, opts.limits)).server;
  const app = createHostedUiServer({ ...opts, server });
  await app.ready();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    url: httpOrigin(host, port),
    port,
    app,
    close: async () => {
      await app.close();
      if (server.listening) await closeHttpServer(server);
    },
  };
}

/** The name the CLI uses: {@link startHostedUiServer}. */
export const startHostedUi = startHostedUiServer;
