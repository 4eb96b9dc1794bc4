/**
 * The local Cognito user pool service, started: SQLite stores, the domain service, mail, triggers, provisioning from
 * the topology and the JSON/JWKS/inbox server. `startIdp` is what the CLI and the integration tests call.
 */
import pino, { type Logger } from 'pino';
import { createUrls, type IssuerMode, type Urls } from '../../config/index.js';
import type { Edge } from '../../edge/index.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { FunctionInvoker } from '../../shared/invoker.js';
import {
  type BoundServer,
  closeHttpServer,
  httpOrigin,
  type ListenerLimits,
  listenHttp,
} from '../../shared/listen.js';
import { openStores, type Stores } from '../../store/index.js';
import type { Topology } from '../cloudformation/types.js';
import { Mailer } from './mail/mailer.js';
import { createSmtpTransport } from './mail/smtp.js';
import { type ProvisionedPool, provisionUserPools } from './provision.js';
import { type RunningIdp, startIdpServer, type TestClockControl } from './server.js';
import { IdpService, type IdSource, type PoolTriggers } from './service/index.js';
import { createSrpWorkers } from './service/srpWorkers.js';
import { createPoolTriggers, preTokenGenerationVersionOf, triggersOfConfig } from './triggers/index.js';

export interface StartIdpOptions {
  /** Where the SQLite file lives, or `:memory:`. */
  dataDir: string;
  region: string;
  issuerMode: IssuerMode;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** An already-bound server to serve on instead of binding `host:port` here. */
  server?: BoundServer;
  /** Request, header and keep-alive time limits (the shared defaults when not given). */
  limits?: ListenerLimits;
  /** Builds every URL once the IdP's own origin (with its real port) is known. */
  urls?: (idpOrigin: string) => Urls;
  /** Used when `urls` is not given. */
  hostedUiOrigin?: string;
  apiOrigin?: string;
  clock?: Clock;
  log?: Logger;
  /** `smtp://host:port`: mail is also delivered there (the outbox always keeps it). */
  smtpUrl?: string;
  /**
   * Pools to provision at start from a topology (tests; `npm start` leaves the stacks' pools to the CloudFormation
   * engine, which creates them through ./internal.ts).
   */
  topology?: Pick<Topology, 'userPools'>;
  /** Runs the pools' Lambda triggers; without it, triggers are not invoked. */
  invoker?: FunctionInvoker;
  /** Share an already-open store (e.g. with the Hosted UI); it is then not closed by `close()`. */
  stores?: Stores;
  ids?: IdSource;
  /** SRP worker threads for password checks and new verifiers; default 1 (0 runs the maths inline). */
  srpWorkers?: number;
  /** When they start: see SrpWorkersOptions.inlineBudgetMs (0: with the first password operation). */
  srpInlineBudgetMs?: number;
  /** The opt-in test clock: when given, `POST /_gatehouse/clock` moves it forward. Off unless the caller asks. */
  testClock?: TestClockControl;
  /** The one AWS endpoint to serve the user pool API on (the CLI's, with S3, STS...); default: an edge of its own. */
  edge?: Edge;
}

export interface StartedIdp extends RunningIdp {
  urls: Urls;
  service: IdpService;
  stores: Stores;
  mailer: Mailer;
  pools: ProvisionedPool[];
}

/**
 * Opens the store, provisions the topology's pools and serves the IdP. The listening socket is bound first so the
 * issuer and every other URL name the real port (port 0 in tests).
 */
export async function startIdp(o: StartIdpOptions): Promise<StartedIdp> {
  const host = o.host ?? '127.0.0.1';
  const log = o.log ?? pino({ level: 'silent' });
  const clock = o.clock ?? systemClock;
  const { server, port } = o.server ?? (await listenHttp(host, o.port ?? 0, o.limits));
  const origin = httpOrigin(host, port);
  const urls =
    o.urls?.(origin) ??
    createUrls({
      region: o.region,
      issuerMode: o.issuerMode,
      idpOrigin: origin,
      hostedUiOrigin: o.hostedUiOrigin ?? origin,
      apiOrigin: o.apiOrigin ?? origin,
    });
  const stores = o.stores ?? openStores(o.dataDir);
  try {
    const srpCompute =
      (o.srpWorkers ?? 1) > 0
        ? createSrpWorkers(
            o.srpWorkers ?? 1,
            o.srpInlineBudgetMs !== undefined ? { inlineBudgetMs: o.srpInlineBudgetMs } : {},
          )
        : undefined;
    const mailer = new Mailer(
      stores.outbox,
      o.smtpUrl ? createSmtpTransport(o.smtpUrl) : undefined,
      log,
      clock,
    );
    const specTriggers = new Map((o.topology?.userPools ?? []).map((p) => [p.id, p.triggers]));
    const invoker = o.invoker;
    const cache = new Map<string, { at: number; triggers: PoolTriggers }>();
    const service = new IdpService({
      store: stores.idp,
      urls,
      clock,
      mailer,
      outbox: stores.outbox,
      log,
      ...(srpCompute ? { srp: srpCompute } : {}),
      ...(o.ids ? { ids: o.ids } : {}),
      ...(invoker
        ? {
            triggersFor: (pool) => {
              const hit = cache.get(pool.id);
              if (hit && hit.at === pool.updatedAt) return hit.triggers;
              const triggers = createPoolTriggers({
                invoker,
                pool: {
                  id: pool.id,
                  region: o.region,
                  triggers: specTriggers.get(pool.id) ?? triggersOfConfig(pool.config.LambdaConfig),
                  preTokenGenerationVersion: preTokenGenerationVersionOf(pool.config),
                },
              });
              cache.set(pool.id, { at: pool.updatedAt, triggers });
              return triggers;
            },
          }
        : {}),
    });
    const pools = o.topology ? await provisionUserPools(service, o.topology) : [];
    const running = await startIdpServer({
      service,
      urls,
      outbox: stores.outbox,
      log,
      server,
      ...(o.testClock ? { testClock: o.testClock } : {}),
      ...(o.edge ? { edge: o.edge } : {}),
    });
    return {
      ...running,
      url: origin,
      port,
      urls,
      service,
      stores,
      mailer,
      pools,
      close: async () => {
        await running.app.close();
        // Also drops keep-alive sockets of clients still open, which would otherwise hold the close forever.
        await closeHttpServer(server);
        await mailer.idle();
        await srpCompute?.close();
        if (!o.stores) stores.close();
      },
    };
  } catch (err) {
    server.close();
    if (!o.stores) stores.close();
    throw err;
  }
}
