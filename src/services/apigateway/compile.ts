/**
 * Turns an HTTP API spec (from the template) into what the pipeline serves: the route table, stages, JWT
 * authorizers with their issuers' key stores, integrations and throttles. Misconfigured specs throw here, before
 * anything serves them.
 */
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { HttpApiSpec, IntegrationSpec, StageSpec } from '../cloudformation/types.js';
import { createJwtAuthorizer, type JwtAuthorizer, type ResolveIssuer } from './authorizer.js';
import { IssuerKeys } from './jwks.js';
import { compileRoutes, type RouteTable } from './routes.js';
import { Throttler, type TokenBucket } from './throttle.js';

export interface CompiledApi {
  spec: HttpApiSpec;
  table: RouteTable;
  named: Map<string, StageSpec>;
  defaultStage: StageSpec | undefined;
  authorizers: Map<string, JwtAuthorizer>;
  integrations: Map<string, IntegrationSpec>;
  throttler: Throttler;
}

export interface ApiCompilerOptions {
  resolveIssuer: ResolveIssuer;
  clock: Clock;
  log: Logger;
  /** The account-level token bucket shared by every API, if any. */
  account: TokenBucket | undefined;
  /** The JWKS penalty box (default 10 s). */
  jwksPenaltyMs?: number;
}

const LOCAL_PROTOCOLS = new Set(['NONE', 'JWT']);

/** Returns `compile(spec)`; issuers' key stores are shared across APIs and reloads. */
export function createApiCompiler(options: ApiCompilerOptions): (spec: HttpApiSpec) => CompiledApi {
  const keyStores = new Map<string, IssuerKeys>();
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

  return (spec) => {
    const authorizers = new Map<string, JwtAuthorizer>();
    for (const a of spec.authorizers) {
      if (a.type !== 'JWT') continue;
      const { issuer, discoveryUrl } = options.resolveIssuer(a.issuer);
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
      throttler: new Throttler(spec.stages, options.clock, options.account),
    };
  };
}
