/**
 * Between the resource model and what the gateway serves: {@link toHttpApiSpec} turns an API's current state into
 * the spec the pipeline compiles.
 */
import type { AuthorizerSpec, IntegrationSpec, RouteSpec, StageSpec } from '../../cloudformation/types.js';
import type { DeployedParts, ServedApiSpec } from '../compile.js';
import type { ApiGatewayStore, ApiRecord, Authorizer, Integration, Route, RouteSettings } from './store.js';

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
