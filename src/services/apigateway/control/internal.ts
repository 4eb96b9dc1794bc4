/**
 * API Gateway v2's internal operations for the CloudFormation engine (AWS::ApiGatewayV2::*): the same store and part
 * functions CreateApi, CreateStage, CreateRoute, CreateIntegration, CreateAuthorizer, their Update* and Delete* run,
 * with each input checked against the operation's model first, as the restJson1 front end checks it. Inputs use the
 * API's member names, which are CloudFormation's property names too. A resource made here is stored and served like
 * one made through the API (there is one resource model), under the id the engine gives it.
 *
 * An update is CloudFormation's: the input is the whole desired state, so a member the template no longer sets goes
 * back to its default (or away), where the Update* operation would keep it.
 */
import { AwsError, validateInput } from '../../../protocols/index.js';
import { model } from './model.gen.js';
import {
  createAuthorizer,
  createIntegration,
  createRoute,
  createStage,
  deleteAuthorizer,
  deleteIntegration,
  deleteRoute,
  deleteStage,
  updateAuthorizer,
  updateIntegration,
  updateRoute,
  updateStage,
} from './parts.js';
import { type ApiGatewayStore, type ApiRecord, notFound } from './store.js';

export type ApiPartKind = 'Stage' | 'Route' | 'Integration' | 'Authorizer';
type Kind = 'Api' | ApiPartKind;
type Input = Record<string, unknown>;

/** What the engine calls (structurally the engine's `EngineTargets['apigateway']`). */
export interface ApiGatewayInternal {
  /** Whether the API (without `part`) or its part exists. */
  has(apiId: string, part?: { kind: ApiPartKind; id: string }): boolean;
  createApi(apiId: string, input: Input): void;
  updateApi(apiId: string, input: Input): void;
  /** False when there was no such API. */
  deleteApi(apiId: string): boolean;
  /** `id` is the part's id: the stage name, or the route, integration or authorizer id to create it under. */
  createPart(kind: ApiPartKind, apiId: string, id: string, input: Input): void;
  updatePart(kind: ApiPartKind, apiId: string, id: string, input: Input): void;
  /** False when there was no such part (or API). */
  deletePart(kind: ApiPartKind, apiId: string, id: string): boolean;
  /** CreateDeployment for the stage: it serves the API's parts as they are now (none yet: nothing to deploy). */
  deployStage(apiId: string, stageName: string): void;
  /** Resolves once the gateway serves the store's current state. */
  settled(): Promise<void>;
}

const CODES = {
  validation: 'BadRequestException',
  serialization: 'BadRequestException',
  unknownOperation: 'NotFoundException',
};

/** The member naming a part in its operations' URIs. */
const ID_MEMBER: Record<ApiPartKind, string> = {
  Stage: 'StageName',
  Route: 'RouteId',
  Integration: 'IntegrationId',
  Authorizer: 'AuthorizerId',
};

/** What Create* gives a member that is not set: an update that leaves the member out restores it. */
const DEFAULTS: Record<Kind, Input> = {
  Api: {
    DisableExecuteApiEndpoint: false,
    IpAddressType: 'ipv4',
    RouteSelectionExpression: '$request.method $request.path',
    ApiKeySelectionExpression: '$request.header.x-api-key',
  },
  // An empty AccessLogSettings turns access logging off (UpdateStage).
  Stage: {
    AutoDeploy: false,
    AccessLogSettings: {},
    DefaultRouteSettings: {},
    RouteSettings: {},
    StageVariables: {},
  },
  Route: { AuthorizationType: 'NONE', ApiKeyRequired: false },
  Integration: { PayloadFormatVersion: '1.0', TimeoutInMillis: 30000, ConnectionType: 'INTERNET' },
  Authorizer: { IdentitySource: [] },
};

/** Members an update never clears: a stage's deployment is AutoDeploy's or CreateDeployment's to set. */
const KEPT = new Set(['ApiId', 'Tags', 'StageName', 'RouteId', 'IntegrationId', 'DeploymentId']);

const membersOf = (operation: string): string[] => {
  const shape = model.shapes[model.operations[operation]?.input ?? ''];
  return Object.keys(shape?.members ?? {});
};

/** The operation's members of `given` (nothing else reaches the store), checked against the model. */
function checked(operation: string, given: Input, uri: Input): Input {
  const members = new Set(membersOf(operation));
  const picked = Object.fromEntries(Object.entries(given).filter(([k]) => members.has(k) && !(k in uri)));
  const clean = validateInput(model, operation, { ...picked, ...uri }, CODES);
  for (const k of Object.keys(uri)) delete clean[k];
  return clean;
}

const isNotFound = (e: unknown): boolean => e instanceof AwsError && e.code === 'NotFoundException';

/** The messages of the Get* operations for a missing part. */
const MISSING: Record<ApiPartKind, (id: string) => string> = {
  Stage: () => 'Invalid stage identifier specified',
  Route: (id) => `Invalid Route identifier specified ${id}`,
  Integration: () => 'Invalid Integration identifier specified',
  Authorizer: () => 'Invalid Authorizer identifier specified',
};

export function apiGatewayInternal(store: ApiGatewayStore, settled: () => Promise<void>): ApiGatewayInternal {
  const partsOf = (r: ApiRecord, kind: ApiPartKind): Map<string, object> =>
    ({ Stage: r.stages, Route: r.routes, Integration: r.integrations, Authorizer: r.authorizers })[kind];
  const find = (apiId: string) => store.list().find((r) => r.api.ApiId === apiId);

  /**
   * Runs an Update* with the whole desired state: members left out take their default, or are removed from the
   * current record first (put back if the update is refused).
   */
  function replacing<T>(
    kind: Kind,
    current: Input,
    operation: string,
    patch: Input,
    run: (p: Input) => T,
  ): T {
    const removed: Input = {};
    for (const k of membersOf(operation)) {
      if (KEPT.has(k) || patch[k] !== undefined) continue;
      if (k in DEFAULTS[kind]) patch[k] = DEFAULTS[kind][k];
      else if (k in current) {
        removed[k] = current[k];
        delete current[k];
      }
    }
    // DefaultRouteSettings is merged by UpdateStage: replaced here.
    if (kind === 'Stage') {
      removed.DefaultRouteSettings = current.DefaultRouteSettings;
      current.DefaultRouteSettings = {};
    }
    try {
      return run(patch);
    } catch (e) {
      Object.assign(current, removed);
      throw e;
    }
  }

  /** CloudFormation's Tags of an API or a stage: TagResource and UntagResource to exactly these. */
  function setTags(arn: string, tags: unknown): void {
    const t = checked('TagResource', { Tags: tags ?? {} }, { ResourceArn: arn }).Tags as Record<
      string,
      string
    >;
    store.tagsByArn(arn).set({ ...t });
    store.changed();
  }

  return {
    has(apiId, part) {
      const r = find(apiId);
      if (!r || !part) return r !== undefined;
      return partsOf(r, part.kind).has(part.id);
    },
    createApi(apiId, input) {
      store.createApi(checked('CreateApi', input, {}) as never, apiId);
    },
    updateApi(apiId, input) {
      const r = store.require(apiId);
      const { Tags, ...rest } = input;
      const patch = checked('UpdateApi', rest, { ApiId: apiId });
      if (patch.CorsConfiguration === undefined && r.api.CorsConfiguration !== undefined)
        store.deleteCors(apiId);
      replacing('Api', r.api as unknown as Input, 'UpdateApi', patch, (p) =>
        store.updateApi(apiId, p as never),
      );
      setTags(store.apiArn(apiId), Tags);
    },
    deleteApi(apiId) {
      if (!find(apiId)) return false;
      store.deleteApi(apiId);
      return true;
    },
    createPart(kind, apiId, id, input) {
      const i = checked(`Create${kind}`, input, {
        ApiId: apiId,
        ...(kind === 'Stage' ? { StageName: id } : {}),
      });
      if (kind === 'Stage') createStage(store, apiId, { ...i, StageName: id } as never);
      else if (kind === 'Route') createRoute(store, apiId, i as never, id);
      else if (kind === 'Integration') createIntegration(store, apiId, i as never, id);
      else createAuthorizer(store, apiId, i as never, id);
    },
    updatePart(kind, apiId, id, input) {
      const current = partsOf(store.require(apiId), kind).get(id) as Input | undefined;
      if (!current) throw notFound(MISSING[kind](id));
      const { Tags, ...rest } = input;
      const operation = `Update${kind}`;
      const patch = checked(operation, rest, { ApiId: apiId, [ID_MEMBER[kind]]: id });
      replacing(kind, current, operation, patch, (p) => {
        if (kind === 'Stage') return updateStage(store, apiId, id, p as never);
        if (kind === 'Route') return updateRoute(store, apiId, id, p as never);
        if (kind === 'Integration') return updateIntegration(store, apiId, id, p as never);
        return updateAuthorizer(store, apiId, id, p as never);
      });
      if (kind === 'Stage') setTags(`${store.apiArn(apiId)}/stages/${encodeURIComponent(id)}`, Tags);
    },
    deletePart(kind, apiId, id) {
      const r = find(apiId);
      if (!r || !partsOf(r, kind).has(id)) return false;
      try {
        if (kind === 'Stage') deleteStage(store, apiId, id);
        else if (kind === 'Route') deleteRoute(store, apiId, id);
        else if (kind === 'Integration') deleteIntegration(store, apiId, id);
        else deleteAuthorizer(store, apiId, id);
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
      return true;
    },
    deployStage(apiId, stageName) {
      if (store.require(apiId).routes.size === 0) return;
      store.deploy(apiId, { auto: false, stageName });
      store.changed();
    },
    settled,
  };
}
