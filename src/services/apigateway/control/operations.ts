/**
 * API Gateway v2's control plane (restJson1) over the {@link ApiGatewayStore}: apis, stages, routes, integrations,
 * authorizers, deployments and tags. A change is served by the gateway before the call answers (`settled`), so
 * `GetApi`'s `ApiEndpoint` is the local URL the API is already served on.
 */
import type { OperationRegistry } from '../../../protocols/index.js';
import {
  createAuthorizer,
  createIntegration,
  createRoute,
  createStage,
  deleteAuthorizer,
  deleteIntegration,
  deleteRoute,
  deleteStage,
  requireAuthorizer,
  requireIntegration,
  requireRoute,
  requireStage,
  updateAuthorizer,
  updateIntegration,
  updateRoute,
  updateStage,
} from './parts.js';
import { type Api, type ApiGatewayStore, badRequest, deploymentOut, notFound, type Stage } from './store.js';

export interface ApiGatewayControlDeps {
  store: ApiGatewayStore;
  /** Resolves once the gateway serves the store's current state. */
  settled(): Promise<void>;
  /** The local origin an API is served on. */
  endpointOf(apiId: string): string | undefined;
}

/** NextToken/MaxResults paging: the token is the index of the next item. */
function page<T>(items: T[], i: { NextToken?: string; MaxResults?: string }) {
  const start = i.NextToken === undefined ? 0 : Number.parseInt(i.NextToken, 10);
  const size = i.MaxResults === undefined ? 100 : Number.parseInt(i.MaxResults, 10);
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(size) || size < 1) {
    throw badRequest('Invalid pagination token or maxResults');
  }
  const next = start + size < items.length ? String(start + size) : undefined;
  return { Items: items.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
}

const stageOut = (s: Stage) => ({ ...s, Tags: { ...s.Tags } });

type In = Record<string, unknown> & { ApiId: string; NextToken?: string; MaxResults?: string };

export function apiGatewayControlOperations(d: ApiGatewayControlDeps): OperationRegistry {
  const { store } = d;
  const apiOut = (a: Api) => ({
    ...a,
    ApiEndpoint: d.endpointOf(a.ApiId) ?? `https://${a.ApiId}.execute-api.${store.region}.amazonaws.com`,
    Tags: { ...a.Tags },
  });
  const done = async <T>(value: T): Promise<T> => {
    await d.settled();
    return value;
  };
  return {
    CreateApi: async (i) => {
      if (i.Target !== undefined || i.RouteKey !== undefined) {
        throw badRequest('Quick create (Target, RouteKey) is not supported locally: create the parts.');
      }
      const api = store.createApi(i);
      await d.settled();
      return apiOut(api);
    },
    GetApi: async (i: In) => apiOut(store.require(i.ApiId).api),
    GetApis: async (i) =>
      page(
        store.list().map((r) => apiOut(r.api)),
        i,
      ),
    UpdateApi: async ({ ApiId, ...patch }: In) => {
      if (
        patch.CorsConfiguration !== undefined &&
        Object.keys(patch.CorsConfiguration as object).length === 0
      ) {
        store.deleteCors(ApiId);
        delete patch.CorsConfiguration;
      }
      return done(apiOut(store.updateApi(ApiId, patch as never)));
    },
    DeleteApi: async (i: In) => done(store.deleteApi(i.ApiId)),

    CreateStage: async ({ ApiId, ...i }: In) => done(stageOut(createStage(store, ApiId, i as never))),
    GetStage: async (i: In & { StageName: string }) => stageOut(requireStage(store, i.ApiId, i.StageName)),
    GetStages: async (i: In) => page([...store.require(i.ApiId).stages.values()].map(stageOut), i),
    UpdateStage: async ({ ApiId, StageName, ...patch }: In & { StageName: string }) =>
      done(stageOut(updateStage(store, ApiId, StageName, patch as never))),
    DeleteStage: async (i: In & { StageName: string }) => done(deleteStage(store, i.ApiId, i.StageName)),

    CreateRoute: async ({ ApiId, ...i }: In) => done(createRoute(store, ApiId, i as never)),
    GetRoute: async (i: In & { RouteId: string }) => requireRoute(store, i.ApiId, i.RouteId),
    GetRoutes: async (i: In) => page([...store.require(i.ApiId).routes.values()], i),
    UpdateRoute: async ({ ApiId, RouteId, ...patch }: In & { RouteId: string }) =>
      done(updateRoute(store, ApiId, RouteId, patch as never)),
    DeleteRoute: async (i: In & { RouteId: string }) => done(deleteRoute(store, i.ApiId, i.RouteId)),

    CreateIntegration: async ({ ApiId, ...i }: In) => done(createIntegration(store, ApiId, i as never)),
    GetIntegration: async (i: In & { IntegrationId: string }) =>
      requireIntegration(store, i.ApiId, i.IntegrationId),
    GetIntegrations: async (i: In) => page([...store.require(i.ApiId).integrations.values()], i),
    UpdateIntegration: async ({ ApiId, IntegrationId, ...patch }: In & { IntegrationId: string }) =>
      done(updateIntegration(store, ApiId, IntegrationId, patch as never)),
    DeleteIntegration: async (i: In & { IntegrationId: string }) =>
      done(deleteIntegration(store, i.ApiId, i.IntegrationId)),

    CreateAuthorizer: async ({ ApiId, ...i }: In) => done(createAuthorizer(store, ApiId, i as never)),
    GetAuthorizer: async (i: In & { AuthorizerId: string }) =>
      requireAuthorizer(store, i.ApiId, i.AuthorizerId),
    GetAuthorizers: async (i: In) => page([...store.require(i.ApiId).authorizers.values()], i),
    UpdateAuthorizer: async ({ ApiId, AuthorizerId, ...patch }: In & { AuthorizerId: string }) =>
      done(updateAuthorizer(store, ApiId, AuthorizerId, patch as never)),
    DeleteAuthorizer: async (i: In & { AuthorizerId: string }) =>
      done(deleteAuthorizer(store, i.ApiId, i.AuthorizerId)),

    // With StageName, the stage serves the new deployment's snapshot from now on (store.deploy).
    CreateDeployment: async (i: In & { Description?: string; StageName?: string }) => {
      const dep = store.deploy(i.ApiId, { auto: false, description: i.Description, stageName: i.StageName });
      store.changed();
      return done(dep && deploymentOut(dep));
    },
    GetDeployment: async (i: In & { DeploymentId: string }) => {
      const dep = store.require(i.ApiId).deployments.get(i.DeploymentId);
      if (!dep) throw notFound('Invalid Deployment identifier specified');
      return deploymentOut(dep);
    },
    GetDeployments: async (i: In) =>
      page([...store.require(i.ApiId).deployments.values()].map(deploymentOut), i),
    DeleteDeployment: async (i: In & { DeploymentId: string }) =>
      store.deleteDeployment(i.ApiId, i.DeploymentId),

    TagResource: async (i: { ResourceArn: string; Tags?: Record<string, string> }) => {
      const t = store.tagsByArn(i.ResourceArn);
      t.set({ ...t.tags, ...(i.Tags ?? {}) });
      return {};
    },
    UntagResource: async (i: { ResourceArn: string; TagKeys: string[] }) => {
      const t = store.tagsByArn(i.ResourceArn);
      t.set(Object.fromEntries(Object.entries(t.tags).filter(([k]) => !i.TagKeys.includes(k))));
      return {};
    },
    GetTags: async (i: { ResourceArn: string }) => ({ Tags: { ...store.tagsByArn(i.ResourceArn).tags } }),
  };
}
