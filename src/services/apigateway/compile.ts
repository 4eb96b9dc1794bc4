/**
 * Turns an HTTP API spec (from the template) into what the pipeline serves: the route table, stages, JWT
 * authorizers with their issuers' key stores, integrations and throttles. Misconfigured specs throw here, before
 * anything serves them.
 *
 * Each stage serves a deployment: the routes, integrations and authorizers as they were when it was deployed
 * (`ServedApiSpec.deployed`, from API Gateway's store), or none at all (every request is a 404, as on AWS for a
 * stage that was never deployed). A spec without `deployed` (a template served directly) serves its own parts on
 * every stage.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
 */
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type {
  AuthorizerSpec,
  HttpApiSpec,
  IntegrationSpec,
  RouteSpec,
  StageSpec,
} from '../cloudformation/types.js';
import { createJwtAuthorizer, type JwtAuthorizer, type ResolveIssuer } from './authorizer.js';
import { IssuerKeys } from './jwks.js';
import { compileRoutes, type RouteTable } from './routes.js';
import { Throttler, type TokenBucket } from './throttle.js';

/** The parts one deployment serves. */
export interface DeployedParts {
  routes: RouteSpec[];
  authorizers: AuthorizerSpec[];
  integrations: IntegrationSpec[];
}

/** An API as API Gateway's store serves it: per stage name, its deployment (`null`: never deployed). */
export interface ServedApiSpec extends HttpApiSpec {
  deployed?: Record<string, { deploymentId: string; parts: DeployedParts } | null>;
}

/** What one deployment serves, compiled. */
export interface CompiledParts {
  table: RouteTable;
  authorizers: Map<string, JwtAuthorizer>;
  integrations: Map<string, IntegrationSpec>;
}

/** A stage and what it serves; `parts` undefined: no deployment, every request is a 404. */
export interface CompiledStage {
  spec: StageSpec;
  parts: CompiledParts | undefined;
}

export interface CompiledApi {
  spec: HttpApiSpec;
  named: Map<string, CompiledStage>;
  defaultStage: CompiledStage | undefined;
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
export function createApiCompiler(options: ApiCompilerOptions): (spec: ServedApiSpec) => CompiledApi {
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

  const compileParts = (apiId: string, parts: DeployedParts): CompiledParts => {
    const authorizers = new Map<string, JwtAuthorizer>();
    for (const a of parts.authorizers) {
      if (a.type !== 'JWT') continue;
      const { issuer, discoveryUrl } = options.resolveIssuer(a.issuer);
      authorizers.set(
        a.logicalId,
        createJwtAuthorizer({ spec: a, issuer, keys: keysFor(discoveryUrl), clock: options.clock }),
      );
    }
    for (const r of parts.routes) {
      if (!LOCAL_PROTOCOLS.has(r.authorizationType)) {
        options.log.warn(
          { api: apiId, route: r.routeKey, authorizationType: r.authorizationType },
          'authorization type not emulated locally: requests to this route are denied with 500',
        );
      } else if (r.authorizationType === 'JWT' && !authorizers.has(r.authorizerLogicalId ?? '')) {
        throw new Error(
          `api ${apiId}: route "${r.routeKey}" names JWT authorizer ${r.authorizerLogicalId}, which is not a JWT authorizer of this API`,
        );
      }
    }
    for (const i of parts.integrations) {
      if (i.payloadFormatVersion !== '2.0') {
        options.log.warn(
          { api: apiId, integration: i.logicalId },
          'payload format 1.0 is not emulated: requests answer 500',
        );
      }
    }
    return {
      table: compileRoutes(parts.routes),
      authorizers,
      integrations: new Map(parts.integrations.map((i) => [i.logicalId, i])),
    };
  };

  return (spec: ServedApiSpec) => {
    // Stages on the same deployment share its compiled parts; a spec without deployments serves its own parts.
    const byDeployment = new Map<string, CompiledParts>();
    const own = spec.deployed === undefined ? compileParts(spec.logicalId, spec) : undefined;
    const partsOf = (stage: StageSpec): CompiledParts | undefined => {
      if (spec.deployed === undefined) return own;
      const d = spec.deployed[stage.name];
      if (!d) return undefined;
      let parts = byDeployment.get(d.deploymentId);
      if (!parts) {
        parts = compileParts(spec.logicalId, d.parts);
        byDeployment.set(d.deploymentId, parts);
      }
      return parts;
    };
    const stages = spec.stages.map((s): CompiledStage => ({ spec: s, parts: partsOf(s) }));
    return {
      spec,
      named: new Map(stages.filter((s) => s.spec.name !== '$default').map((s) => [s.spec.name, s])),
      defaultStage: stages.find((s) => s.spec.name === '$default'),
      throttler: new Throttler(spec.stages, options.clock, options.account),
    };
  };
}
