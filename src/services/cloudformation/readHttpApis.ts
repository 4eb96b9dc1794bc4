/**
 * `AWS::ApiGatewayV2::*` → {@link HttpApiSpec}: the API with its CORS, stages (throttling, access logs, stage
 * variables), routes, Lambda proxy integrations and JWT authorizers.
 */
import type { Resolver } from './intrinsics.js';
import {
  booleanOr,
  type Ctx,
  fail,
  isRecord,
  lambdaName,
  numberOr,
  optionalString,
  requireString,
  stringList,
} from './readProperties.js';
import type {
  AuthorizerSpec,
  CorsSpec,
  HttpApiSpec,
  IntegrationSpec,
  RouteSpec,
  StageSpec,
} from './types.js';

/** API Gateway's account-level throttling defaults, used for whichever half of a route setting is missing. */
export const ACCOUNT_THROTTLING = { burstLimit: 5000, rateLimit: 10000 } as const;

export function readApi(r: Resolver, id: string): HttpApiSpec {
  const props = r.properties(id);
  const protocol = props.ProtocolType ?? 'HTTP';
  if (protocol !== 'HTTP')
    fail(r, id, `ProtocolType ${String(protocol)} is not supported; only HTTP APIs are`);
  for (const key of ['Body', 'BodyS3Location', 'Target']) {
    if (props[key] !== undefined) {
      fail(
        r,
        id,
        `${key} (OpenAPI import or quick create) is not supported; define routes as resources (CDK does)`,
      );
    }
  }
  return {
    logicalId: id,
    id: r.ref(id, id),
    name: requireString(r, id, props.Name, 'Name'),
    cors: readCors(r, id, props.CorsConfiguration),
    stages: [],
    routes: [],
    authorizers: [],
    integrations: [],
  };
}

function readCors(r: Resolver, id: string, value: unknown): CorsSpec | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return fail(r, id, 'CorsConfiguration must be an object');
  const maxAge =
    value.MaxAge === undefined ? undefined : numberOr(r, id, value.MaxAge, 'CorsConfiguration.MaxAge', 0);
  return {
    allowOrigins: stringList(r, id, value.AllowOrigins, 'CorsConfiguration.AllowOrigins'),
    allowMethods: stringList(r, id, value.AllowMethods, 'CorsConfiguration.AllowMethods'),
    allowHeaders: stringList(r, id, value.AllowHeaders, 'CorsConfiguration.AllowHeaders'),
    exposeHeaders: stringList(r, id, value.ExposeHeaders, 'CorsConfiguration.ExposeHeaders'),
    allowCredentials: booleanOr(r, id, value.AllowCredentials, 'CorsConfiguration.AllowCredentials', false),
    maxAge,
  };
}

export function readStage(r: Resolver, id: string): StageSpec {
  const props = r.properties(id);
  const throttle = (
    value: unknown,
    property: string,
    fallback: { burstLimit: number; rateLimit: number },
  ) => {
    if (!isRecord(value)) return undefined;
    if (value.ThrottlingBurstLimit === undefined && value.ThrottlingRateLimit === undefined) return undefined;
    return {
      burstLimit: numberOr(
        r,
        id,
        value.ThrottlingBurstLimit,
        `${property}.ThrottlingBurstLimit`,
        fallback.burstLimit,
      ),
      rateLimit: numberOr(
        r,
        id,
        value.ThrottlingRateLimit,
        `${property}.ThrottlingRateLimit`,
        fallback.rateLimit,
      ),
    };
  };
  const throttling = throttle(props.DefaultRouteSettings, 'DefaultRouteSettings', ACCOUNT_THROTTLING);
  const routeThrottling: StageSpec['routeThrottling'] = {};
  if (props.RouteSettings !== undefined && !isRecord(props.RouteSettings)) {
    fail(r, id, 'RouteSettings must be an object keyed by route key');
  }
  for (const [routeKey, settings] of Object.entries(props.RouteSettings ?? {})) {
    const t = throttle(settings, `RouteSettings.${routeKey}`, throttling ?? ACCOUNT_THROTTLING);
    if (t) routeThrottling[routeKey] = t;
  }
  const stageVariables: Record<string, string> = {};
  if (props.StageVariables !== undefined && !isRecord(props.StageVariables)) {
    fail(r, id, 'StageVariables must be an object');
  }
  for (const [key, value] of Object.entries(props.StageVariables ?? {})) {
    stageVariables[key] = requireString(
      r,
      id,
      typeof value === 'number' ? String(value) : value,
      `StageVariables.${key}`,
    );
  }
  const accessLog = props.AccessLogSettings;
  return {
    logicalId: id,
    name: requireString(r, id, props.StageName, 'StageName'),
    autoDeploy: booleanOr(r, id, props.AutoDeploy, 'AutoDeploy', false),
    accessLogFormat: isRecord(accessLog)
      ? optionalString(r, id, accessLog.Format, 'AccessLogSettings.Format')
      : undefined,
    throttling,
    routeThrottling,
    stageVariables,
  };
}

export function readRoute(r: Resolver, id: string, api: HttpApiSpec): RouteSpec {
  const props = r.properties(id);
  const routeKey = requireString(r, id, props.RouteKey, 'RouteKey');
  if (routeKey !== '$default' && !/^[A-Z]+ \/\S*$/.test(routeKey)) {
    fail(r, id, `RouteKey ${routeKey} must be "$default" or "METHOD /path"`);
  }
  const authorizationType = optionalString(r, id, props.AuthorizationType, 'AuthorizationType') ?? 'NONE';
  if (!['NONE', 'JWT', 'AWS_IAM', 'CUSTOM'].includes(authorizationType)) {
    fail(r, id, `AuthorizationType ${authorizationType} must be NONE, JWT, AWS_IAM or CUSTOM`);
  }
  let authorizerLogicalId: string | undefined;
  if (props.AuthorizerId !== undefined) {
    const physical = requireString(r, id, props.AuthorizerId, 'AuthorizerId');
    authorizerLogicalId = api.authorizers.find((a) => r.ref(a.logicalId, id) === physical)?.logicalId;
    if (!authorizerLogicalId)
      fail(r, id, `AuthorizerId ${physical} is not an authorizer of ${api.logicalId}`);
  }
  if ((authorizationType === 'JWT' || authorizationType === 'CUSTOM') && !authorizerLogicalId) {
    fail(r, id, `AuthorizationType ${authorizationType} needs an AuthorizerId`);
  }
  let integrationLogicalId: string | undefined;
  if (props.Target !== undefined) {
    const target = requireString(r, id, props.Target, 'Target');
    const m = /^integrations\/(.+)$/.exec(target);
    if (!m) fail(r, id, `Target ${target} must be integrations/<IntegrationId>`);
    integrationLogicalId = api.integrations.find((i) => r.ref(i.logicalId, id) === m[1])?.logicalId;
    if (!integrationLogicalId) fail(r, id, `Target ${target} is not an integration of ${api.logicalId}`);
  }
  return {
    logicalId: id,
    routeKey,
    authorizationType,
    authorizerLogicalId,
    authorizationScopes: stringList(r, id, props.AuthorizationScopes, 'AuthorizationScopes'),
    integrationLogicalId,
  };
}

export function readIntegration(ctx: Ctx, id: string): IntegrationSpec {
  const { r } = ctx;
  const props = r.properties(id);
  const type = requireString(r, id, props.IntegrationType, 'IntegrationType');
  const uri = optionalString(r, id, props.IntegrationUri, 'IntegrationUri');
  let functionName: string | undefined;
  let payloadFormatVersion: '1.0' | '2.0' = '1.0';
  const version = props.PayloadFormatVersion;
  if (version !== undefined && version !== '1.0' && version !== '2.0') {
    fail(r, id, `PayloadFormatVersion ${String(version)} must be 1.0 or 2.0`);
  }
  if (type === 'AWS_PROXY' && props.IntegrationSubtype === undefined) {
    functionName = lambdaName(ctx, id, props.IntegrationUri, 'IntegrationUri');
    // CloudFormation requires it for Lambda integrations of HTTP APIs; guessing would change the event shape.
    if (version === undefined) fail(r, id, 'PayloadFormatVersion is required for Lambda proxy integrations');
    payloadFormatVersion = version;
  } else if (type === 'HTTP_PROXY') {
    requireString(r, id, props.IntegrationUri, 'IntegrationUri');
  } else {
    ctx.warnings.push(
      `${id}: ${type} integrations${props.IntegrationSubtype ? ` (${String(props.IntegrationSubtype)})` : ''} are not emulated`,
    );
  }
  const spec: IntegrationSpec = {
    logicalId: id,
    type,
    functionName,
    payloadFormatVersion,
    timeoutMs: numberOr(r, id, props.TimeoutInMillis, 'TimeoutInMillis', 30000),
  };
  if (uri !== undefined) spec.uri = uri;
  const method = optionalString(r, id, props.IntegrationMethod, 'IntegrationMethod');
  if (method !== undefined) spec.method = method;
  return spec;
}

export function readAuthorizer(ctx: Ctx, id: string): AuthorizerSpec {
  const { r } = ctx;
  const props = r.properties(id);
  const type = requireString(r, id, props.AuthorizerType, 'AuthorizerType');
  const spec: AuthorizerSpec = {
    logicalId: id,
    name: requireString(r, id, props.Name, 'Name'),
    type: 'JWT',
    identitySource: stringList(r, id, props.IdentitySource, 'IdentitySource'),
    issuer: '',
    audience: [],
  };
  if (type === 'JWT') {
    const jwt = props.JwtConfiguration;
    if (!isRecord(jwt)) return fail(r, id, 'JwtConfiguration is required for a JWT authorizer');
    spec.issuer = requireString(r, id, jwt.Issuer, 'JwtConfiguration.Issuer');
    spec.audience = stringList(r, id, jwt.Audience, 'JwtConfiguration.Audience');
    if (spec.identitySource.length === 0) fail(r, id, 'IdentitySource is required for a JWT authorizer');
  } else if (type === 'REQUEST') {
    spec.type = 'REQUEST';
    spec.functionName = lambdaName(ctx, id, props.AuthorizerUri, 'AuthorizerUri');
  } else {
    fail(r, id, `AuthorizerType ${type} must be JWT or REQUEST`);
  }
  return spec;
}
