/**
 * The parts of an HTTP API: stages, routes, integrations and authorizers. Plain functions over the
 * {@link ApiGatewayStore}, shared by the restJson1 API and the CloudFormation engine. Each change re-deploys stages
 * with AutoDeploy and tells the gateway.
 */
import {
  type ApiGatewayStore,
  type Authorizer,
  badRequest,
  conflict,
  defined,
  type Integration,
  newId,
  notFound,
  type Route,
  type RouteSettings,
  type Stage,
  type Tags,
} from './store.js';

export interface StageInput {
  StageName: string;
  AutoDeploy?: boolean;
  AccessLogSettings?: Stage['AccessLogSettings'];
  DefaultRouteSettings?: RouteSettings;
  RouteSettings?: Record<string, RouteSettings>;
  StageVariables?: Record<string, string>;
  DeploymentId?: string;
  Description?: string;
  ClientCertificateId?: string;
  Tags?: Tags;
}

/** HTTP APIs report DetailedMetricsEnabled=false in route settings that leave it out. */
const routeSettings = (s: RouteSettings | undefined): RouteSettings =>
  defined({ DetailedMetricsEnabled: false, ...defined(s ?? {}) });

export function createStage(store: ApiGatewayStore, apiId: string, i: StageInput): Stage {
  const r = store.require(apiId);
  if (r.stages.has(i.StageName)) throw conflict(`Stage already exists`);
  if (!/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(i.StageName)) {
    throw badRequest(`Stage name only allows a-zA-Z0-9_- or $default`);
  }
  if (i.DeploymentId !== undefined && !r.deployments.has(i.DeploymentId)) {
    throw badRequest(`Deployment ${i.DeploymentId} does not exist`);
  }
  const now = store.now();
  const stage: Stage = defined({
    StageName: i.StageName,
    AutoDeploy: i.AutoDeploy ?? false,
    AccessLogSettings: i.AccessLogSettings,
    DefaultRouteSettings: routeSettings(i.DefaultRouteSettings),
    RouteSettings: Object.fromEntries(
      Object.entries(i.RouteSettings ?? {}).map(([k, v]) => [k, routeSettings(v)]),
    ),
    StageVariables: { ...(i.StageVariables ?? {}) },
    DeploymentId: i.DeploymentId,
    Description: i.Description,
    ClientCertificateId: i.ClientCertificateId,
    ApiGatewayManaged: false,
    CreatedDate: now,
    LastUpdatedDate: now,
    Tags: { ...(i.Tags ?? {}) },
  });
  r.stages.set(stage.StageName, stage);
  if (stage.AutoDeploy) store.deploy(apiId, { auto: true });
  store.changed();
  return stage;
}

export function requireStage(store: ApiGatewayStore, apiId: string, name: string): Stage {
  const s = store.require(apiId).stages.get(name);
  if (!s) throw notFound(`Invalid stage identifier specified`);
  return s;
}

export function updateStage(
  store: ApiGatewayStore,
  apiId: string,
  name: string,
  patch: Omit<StageInput, 'StageName' | 'Tags'>,
): Stage {
  const s = requireStage(store, apiId, name);
  if (patch.DeploymentId !== undefined && patch.DeploymentId !== s.DeploymentId) {
    if (!store.require(apiId).deployments.has(patch.DeploymentId)) {
      throw badRequest(`Deployment ${patch.DeploymentId} does not exist`);
    }
    // The Stage reference: DeploymentId "can't be updated if autoDeploy is enabled".
    // @see https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages-stagename.html
    if (patch.AutoDeploy ?? s.AutoDeploy) {
      throw badRequest('DeploymentId cannot be updated on a stage with AutoDeploy enabled');
    }
  }
  const next = defined({
    ...s,
    ...defined({
      ...patch,
      DefaultRouteSettings:
        patch.DefaultRouteSettings === undefined
          ? undefined
          : routeSettings({ ...s.DefaultRouteSettings, ...patch.DefaultRouteSettings }),
      RouteSettings:
        patch.RouteSettings === undefined
          ? undefined
          : Object.fromEntries(Object.entries(patch.RouteSettings).map(([k, v]) => [k, routeSettings(v)])),
    }),
    LastUpdatedDate: store.now(),
  }) as Stage;
  // An empty AccessLogSettings turns access logging off.
  if (patch.AccessLogSettings !== undefined && !patch.AccessLogSettings.DestinationArn) {
    delete next.AccessLogSettings;
  }
  // LastDeploymentStatusMessage is reported for AutoDeploy stages only.
  if (!next.AutoDeploy) delete next.LastDeploymentStatusMessage;
  store.require(apiId).stages.set(name, next);
  if (next.AutoDeploy && !s.AutoDeploy) store.deploy(apiId, { auto: true });
  store.changed();
  return next;
}

export function deleteStage(store: ApiGatewayStore, apiId: string, name: string): void {
  requireStage(store, apiId, name);
  store.require(apiId).stages.delete(name);
  store.changed();
}

export type RouteInput = Omit<
  Route,
  'RouteId' | 'AuthorizationType' | 'ApiKeyRequired' | 'ApiGatewayManaged'
> & {
  AuthorizationType?: string;
  ApiKeyRequired?: boolean;
};

function checkRoute(store: ApiGatewayStore, apiId: string, route: Route): void {
  const r = store.require(apiId);
  if (!/^(\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*)$/.test(route.RouteKey)) {
    throw badRequest(`Unable to create Route, the RouteKey ${route.RouteKey} is invalid`);
  }
  for (const other of r.routes.values()) {
    if (other.RouteId !== route.RouteId && other.RouteKey === route.RouteKey) {
      throw conflict(`Unable to create Route, the RouteKey already exists`);
    }
  }
  if (route.Target !== undefined) {
    const m = /^integrations\/([a-z0-9]+)$/.exec(route.Target);
    if (!m || !r.integrations.has(m[1] as string)) {
      throw badRequest(`Invalid target specified: ${route.Target}`);
    }
  }
  if (route.AuthorizationType === 'JWT' || route.AuthorizationType === 'CUSTOM') {
    const a = route.AuthorizerId === undefined ? undefined : r.authorizers.get(route.AuthorizerId);
    if (!a) throw badRequest(`Invalid authorizer ID specified: ${route.AuthorizerId ?? ''}`);
    if ((a.AuthorizerType === 'JWT') !== (route.AuthorizationType === 'JWT')) {
      throw badRequest(`AuthorizationType ${route.AuthorizationType} does not match the authorizer's type`);
    }
  } else if (!['NONE', 'AWS_IAM'].includes(route.AuthorizationType)) {
    throw badRequest(`Invalid authorization type specified: ${route.AuthorizationType}`);
  }
}

export function createRoute(store: ApiGatewayStore, apiId: string, i: RouteInput, fixedId?: string): Route {
  const route: Route = defined({
    ...i,
    RouteId: fixedId ?? newId(7),
    AuthorizationType: i.AuthorizationType ?? 'NONE',
    ApiKeyRequired: i.ApiKeyRequired ?? false,
    ApiGatewayManaged: false,
  });
  checkRoute(store, apiId, route);
  store.require(apiId).routes.set(route.RouteId, route);
  store.autoDeploy(apiId);
  store.changed();
  return route;
}

export function requireRoute(store: ApiGatewayStore, apiId: string, routeId: string): Route {
  const r = store.require(apiId).routes.get(routeId);
  if (!r) throw notFound(`Invalid Route identifier specified ${routeId}`);
  return r;
}

export function updateRoute(
  store: ApiGatewayStore,
  apiId: string,
  routeId: string,
  patch: Partial<RouteInput>,
): Route {
  const route: Route = defined({ ...requireRoute(store, apiId, routeId), ...defined(patch) });
  // Authorization NONE clears the authorizer, as on AWS.
  if (route.AuthorizationType === 'NONE') {
    delete route.AuthorizerId;
    delete route.AuthorizationScopes;
  }
  checkRoute(store, apiId, route);
  store.require(apiId).routes.set(routeId, route);
  store.autoDeploy(apiId);
  store.changed();
  return route;
}

export function deleteRoute(store: ApiGatewayStore, apiId: string, routeId: string): void {
  requireRoute(store, apiId, routeId);
  store.require(apiId).routes.delete(routeId);
  store.autoDeploy(apiId);
  store.changed();
}

export type IntegrationInput = Omit<
  Integration,
  'IntegrationId' | 'PayloadFormatVersion' | 'TimeoutInMillis' | 'ConnectionType' | 'ApiGatewayManaged'
> & { PayloadFormatVersion?: string; TimeoutInMillis?: number; ConnectionType?: string };

function checkIntegration(i: Integration): void {
  if (!['AWS_PROXY', 'HTTP_PROXY', 'MOCK', 'AWS', 'HTTP'].includes(i.IntegrationType)) {
    throw badRequest(`Invalid integration type specified: ${i.IntegrationType}`);
  }
  if (!['1.0', '2.0'].includes(i.PayloadFormatVersion)) {
    throw badRequest(`Invalid payload format version specified: ${i.PayloadFormatVersion}`);
  }
  if (i.TimeoutInMillis < 50 || i.TimeoutInMillis > 30000) {
    throw badRequest('Timeout must be between 50 milliseconds and 30 seconds.');
  }
  if (
    i.IntegrationType === 'AWS_PROXY' &&
    i.IntegrationUri === undefined &&
    i.IntegrationSubtype === undefined
  ) {
    throw badRequest('IntegrationUri must be specified for AWS_PROXY integrations.');
  }
}

export function createIntegration(
  store: ApiGatewayStore,
  apiId: string,
  i: IntegrationInput,
  fixedId?: string,
): Integration {
  store.require(apiId);
  const integration: Integration = defined({
    ...i,
    IntegrationId: fixedId ?? newId(7),
    PayloadFormatVersion: i.PayloadFormatVersion ?? '1.0',
    TimeoutInMillis: i.TimeoutInMillis ?? 30000,
    ConnectionType: i.ConnectionType ?? 'INTERNET',
    ApiGatewayManaged: false,
  });
  checkIntegration(integration);
  store.require(apiId).integrations.set(integration.IntegrationId, integration);
  store.autoDeploy(apiId);
  store.changed();
  return integration;
}

export function requireIntegration(store: ApiGatewayStore, apiId: string, id: string): Integration {
  const i = store.require(apiId).integrations.get(id);
  if (!i) throw notFound(`Invalid Integration identifier specified`);
  return i;
}

export function updateIntegration(
  store: ApiGatewayStore,
  apiId: string,
  id: string,
  patch: Partial<IntegrationInput>,
): Integration {
  const next: Integration = defined({ ...requireIntegration(store, apiId, id), ...defined(patch) });
  checkIntegration(next);
  store.require(apiId).integrations.set(id, next);
  store.autoDeploy(apiId);
  store.changed();
  return next;
}

export function deleteIntegration(store: ApiGatewayStore, apiId: string, id: string): void {
  requireIntegration(store, apiId, id);
  const r = store.require(apiId);
  if ([...r.routes.values()].some((x) => x.Target === `integrations/${id}`)) {
    throw conflict(`Cannot delete Integration ${id}, it is in use by a route.`);
  }
  r.integrations.delete(id);
  store.autoDeploy(apiId);
  store.changed();
}

export type AuthorizerInput = Omit<Authorizer, 'AuthorizerId'>;

function checkAuthorizer(a: Authorizer): void {
  if (a.AuthorizerType === 'JWT') {
    if (!a.JwtConfiguration?.Issuer)
      throw badRequest('JwtConfiguration.Issuer must be specified for JWT authorizers.');
  } else if (a.AuthorizerType === 'REQUEST') {
    if (!a.AuthorizerUri) throw badRequest('AuthorizerUri must be specified for REQUEST authorizers.');
  } else {
    throw badRequest(`Invalid authorizer type specified: ${a.AuthorizerType as string}`);
  }
  if (a.IdentitySource.length === 0 && a.AuthorizerType === 'JWT') {
    throw badRequest('IdentitySource must be specified for JWT authorizers.');
  }
}

export function createAuthorizer(
  store: ApiGatewayStore,
  apiId: string,
  i: AuthorizerInput,
  fixedId?: string,
): Authorizer {
  store.require(apiId);
  const a: Authorizer = defined({
    ...i,
    AuthorizerId: fixedId ?? newId(7),
    IdentitySource: i.IdentitySource ?? [],
  });
  checkAuthorizer(a);
  store.require(apiId).authorizers.set(a.AuthorizerId, a);
  store.autoDeploy(apiId);
  store.changed();
  return a;
}

export function requireAuthorizer(store: ApiGatewayStore, apiId: string, id: string): Authorizer {
  const a = store.require(apiId).authorizers.get(id);
  if (!a) throw notFound(`Invalid Authorizer identifier specified`);
  return a;
}

export function updateAuthorizer(
  store: ApiGatewayStore,
  apiId: string,
  id: string,
  patch: Partial<AuthorizerInput>,
): Authorizer {
  const a: Authorizer = defined({ ...requireAuthorizer(store, apiId, id), ...defined(patch) });
  checkAuthorizer(a);
  store.require(apiId).authorizers.set(id, a);
  store.autoDeploy(apiId);
  store.changed();
  return a;
}

export function deleteAuthorizer(store: ApiGatewayStore, apiId: string, id: string): void {
  requireAuthorizer(store, apiId, id);
  const r = store.require(apiId);
  if ([...r.routes.values()].some((x) => x.AuthorizerId === id)) {
    throw conflict(`Cannot delete authorizer ${id}, is referenced in route`);
  }
  r.authorizers.delete(id);
  store.autoDeploy(apiId);
  store.changed();
}
