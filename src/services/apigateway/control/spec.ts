/**
 * Between the resource model and what the gateway serves: {@link toHttpApiSpec} turns an API's current state into
 * the spec the pipeline compiles; {@link importHttpApi} creates the stack's APIs (`npm start`) through the same
 * create operations the API uses, with the topology's deterministic ids.
 */
import type {
  AuthorizerSpec,
  HttpApiSpec,
  IntegrationSpec,
  RouteSpec,
  StageSpec,
} from '../../cloudformation/types.js';
import type { DeployedParts, ServedApiSpec } from '../compile.js';
import { createAuthorizer, createIntegration, createRoute, createStage } from './parts.js';
import {
  type ApiGatewayStore,
  type ApiRecord,
  type Authorizer,
  type Integration,
  newId,
  type Route,
  type RouteSettings,
} from './store.js';

/** `…:function:NAME[:qualifier]` in a Lambda ARN or an `arn:aws:apigateway:…:lambda:path/…/functions/ARN/invocations`. */
export function functionNameOfUri(uri: string | undefined): string | undefined {
  return uri === undefined ? undefined : /:function:([A-Za-z0-9_-]+)/.exec(uri)?.[1];
}

/**
 * The function an integration invokes, with its qualifier when the URI has one: `NAME` or `NAME:QUALIFIER`
 * (a version or an alias), which Lambda's invoke accepts as a function name. An integration whose URI is a
 * qualified ARN invokes that version or alias.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (FunctionName: "my-function:v1")
 */
export function functionRefOfUri(uri: string | undefined): string | undefined {
  const m = uri === undefined ? null : /:function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?(?:\/|$)/.exec(uri);
  if (!m) return functionNameOfUri(uri);
  return m[2] === undefined || m[2] === '$LATEST' ? m[1] : `${m[1]}:${m[2]}`;
}

const throttle = (s: RouteSettings | undefined) =>
  s?.ThrottlingBurstLimit === undefined && s?.ThrottlingRateLimit === undefined
    ? undefined
    : { burstLimit: s?.ThrottlingBurstLimit ?? 5000, rateLimit: s?.ThrottlingRateLimit ?? 10000 };

/** Routes, integrations and authorizers (the API's current ones, or a deployment's snapshot) as the gateway's specs. */
function partsSpec(routes: Route[], integrations: Integration[], authorizers: Authorizer[]): DeployedParts {
  return {
    routes: routes.map(
      (x): RouteSpec => ({
        logicalId: x.RouteId,
        routeKey: x.RouteKey,
        authorizationType: x.AuthorizationType,
        authorizerLogicalId: x.AuthorizerId,
        authorizationScopes: x.AuthorizationScopes ?? [],
        integrationLogicalId: x.Target?.replace(/^integrations\//, ''),
      }),
    ),
    authorizers: authorizers.map(
      (a): AuthorizerSpec => ({
        logicalId: a.AuthorizerId,
        name: a.Name,
        type: a.AuthorizerType,
        identitySource: a.IdentitySource,
        issuer: a.JwtConfiguration?.Issuer ?? '',
        audience: a.JwtConfiguration?.Audience ?? [],
        ...(a.AuthorizerType === 'REQUEST' ? { functionName: functionNameOfUri(a.AuthorizerUri) } : {}),
      }),
    ),
    integrations: integrations.map(
      (i): IntegrationSpec => ({
        logicalId: i.IntegrationId,
        type: i.IntegrationType,
        functionName: i.IntegrationType === 'AWS_PROXY' ? functionRefOfUri(i.IntegrationUri) : undefined,
        payloadFormatVersion: i.PayloadFormatVersion === '2.0' ? '2.0' : '1.0',
        timeoutMs: i.TimeoutInMillis,
        ...(i.IntegrationUri !== undefined ? { uri: i.IntegrationUri } : {}),
        ...(i.IntegrationMethod !== undefined ? { method: i.IntegrationMethod } : {}),
      }),
    ),
  };
}

/**
 * The API as the gateway serves it now: the API's current parts (`routes`, `integrations`, `authorizers`, what
 * the control plane reads), and per stage the snapshot of the deployment it points at (`deployed`), which is what
 * that stage serves. A stage with no deployment serves 404s. CORS and the stages' own settings (throttling, access
 * logs, stage variables) take effect at once.
 */
export function toHttpApiSpec(r: ApiRecord): ServedApiSpec {
  const cors = r.api.CorsConfiguration;
  const deployed: NonNullable<ServedApiSpec['deployed']> = {};
  for (const s of r.stages.values()) {
    const d = s.DeploymentId === undefined ? undefined : r.deployments.get(s.DeploymentId);
    deployed[s.StageName] = d
      ? {
          deploymentId: d.DeploymentId,
          parts: partsSpec(d.snapshot.routes, d.snapshot.integrations, d.snapshot.authorizers),
        }
      : null;
  }
  return {
    logicalId: r.api.ApiId,
    id: r.api.ApiId,
    name: r.api.Name,
    cors: cors
      ? {
          allowOrigins: cors.AllowOrigins ?? [],
          allowMethods: cors.AllowMethods ?? [],
          allowHeaders: cors.AllowHeaders ?? [],
          exposeHeaders: cors.ExposeHeaders ?? [],
          allowCredentials: cors.AllowCredentials ?? false,
          maxAge: cors.MaxAge,
        }
      : undefined,
    stages: [...r.stages.values()].map(
      (s): StageSpec => ({
        logicalId: s.StageName,
        name: s.StageName,
        autoDeploy: s.AutoDeploy,
        accessLogFormat: s.AccessLogSettings?.Format,
        throttling: throttle(s.DefaultRouteSettings),
        routeThrottling: Object.fromEntries(
          Object.entries(s.RouteSettings).flatMap(([k, v]) => {
            const t = throttle(v);
            return t ? [[k, t]] : [];
          }),
        ),
        stageVariables: { ...s.StageVariables },
      }),
    ),
    ...partsSpec([...r.routes.values()], [...r.integrations.values()], [...r.authorizers.values()]),
    deployed,
  };
}

/** Where each stage's access log lines go: `<apiId>/<stage>` → log group name (from DestinationArn). */
export function accessLogGroups(store: ApiGatewayStore): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of store.list()) {
    for (const s of r.stages.values()) {
      const arn = s.AccessLogSettings?.DestinationArn;
      const group = arn === undefined ? undefined : /:log-group:([^:]+)(?::\*)?$/.exec(arn)?.[1];
      if (group !== undefined) out.set(`${r.api.ApiId}/${s.StageName}`, group);
    }
  }
  return out;
}

/**
 * Creates one of the stack's APIs through the create operations. Part ids are derived from the API id and the
 * logical ids, so they stay the same across restarts. `logGroupArn` gives a stage's access log destination. The
 * API is the stack's: served, not stored (the engine imports it again at the next start).
 */
export function importHttpApi(
  store: ApiGatewayStore,
  spec: HttpApiSpec,
  logGroupArn: (apiId: string, stage: string) => string | undefined,
): void {
  const id = (logicalId: string) => newId(7, `${spec.id}/${logicalId}`);
  const c = spec.cors;
  // The stack's definition wins over a stored API of the same id (left by an older version that stored them).
  if (store.list().some((r) => r.api.ApiId === spec.id)) store.deleteApi(spec.id);
  store.ownedByStack(spec.id);
  store.createApi(
    {
      Name: spec.name,
      ProtocolType: 'HTTP',
      ...(c
        ? {
            CorsConfiguration: {
              AllowOrigins: c.allowOrigins,
              AllowMethods: c.allowMethods,
              AllowHeaders: c.allowHeaders,
              ExposeHeaders: c.exposeHeaders,
              AllowCredentials: c.allowCredentials,
              ...(c.maxAge !== undefined ? { MaxAge: c.maxAge } : {}),
            },
          }
        : {}),
    },
    spec.id,
  );
  for (const i of spec.integrations) {
    createIntegration(
      store,
      spec.id,
      {
        IntegrationType: i.type,
        IntegrationUri: i.uri,
        IntegrationMethod: i.method,
        PayloadFormatVersion: i.payloadFormatVersion,
        TimeoutInMillis: i.timeoutMs,
      },
      id(i.logicalId),
    );
  }
  for (const a of spec.authorizers) {
    createAuthorizer(
      store,
      spec.id,
      {
        Name: a.name,
        AuthorizerType: a.type,
        IdentitySource: a.identitySource,
        ...(a.type === 'JWT' ? { JwtConfiguration: { Issuer: a.issuer, Audience: a.audience } } : {}),
        ...(a.functionName !== undefined
          ? { AuthorizerUri: `arn:aws:lambda:${store.region}:${store.accountId}:function:${a.functionName}` }
          : {}),
      },
      id(a.logicalId),
    );
  }
  for (const r of spec.routes) {
    createRoute(
      store,
      spec.id,
      {
        RouteKey: r.routeKey,
        AuthorizationType: r.authorizationType,
        ...(r.authorizerLogicalId !== undefined ? { AuthorizerId: id(r.authorizerLogicalId) } : {}),
        ...(r.authorizationScopes.length ? { AuthorizationScopes: r.authorizationScopes } : {}),
        ...(r.integrationLogicalId !== undefined
          ? { Target: `integrations/${id(r.integrationLogicalId)}` }
          : {}),
      },
      id(r.logicalId),
    );
  }
  for (const s of spec.stages) {
    const settings = (t: { burstLimit: number; rateLimit: number } | undefined) =>
      t ? { ThrottlingBurstLimit: t.burstLimit, ThrottlingRateLimit: t.rateLimit } : {};
    const dest = logGroupArn(spec.id, s.name);
    createStage(store, spec.id, {
      StageName: s.name,
      AutoDeploy: s.autoDeploy,
      // The stack's format is kept even without a destination: the lines still go to the terminal.
      ...(s.accessLogFormat !== undefined
        ? {
            AccessLogSettings: {
              ...(dest !== undefined ? { DestinationArn: dest } : {}),
              Format: s.accessLogFormat,
            },
          }
        : {}),
      DefaultRouteSettings: settings(s.throttling),
      RouteSettings: Object.fromEntries(Object.entries(s.routeThrottling).map(([k, v]) => [k, settings(v)])),
      StageVariables: s.stageVariables,
    });
    // A stack's stage without AutoDeploy is served as the stack made it: the engine has no
    // AWS::ApiGatewayV2::Deployment, so the import deploys it here (on AWS the template would declare one).
    if (!s.autoDeploy && spec.routes.length > 0) store.deploy(spec.id, { auto: false, stageName: s.name });
  }
}
