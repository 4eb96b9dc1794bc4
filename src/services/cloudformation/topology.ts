/**
 * CloudFormation template → typed {@link Topology}: the user pools, functions and HTTP APIs the local cloud
 * runs. Resources the local cloud does not need are ignored; a resource it needs but cannot interpret is a
 * TemplateError that names it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { functionNameOf } from '../../shared/invoker.js';
import { TemplateError } from './errors.js';
import { ALNUM, hashId } from './ids.js';
import {
  assertResolved,
  type CfnResource,
  type CfnTemplate,
  Resolver,
  UNRESOLVED_PREFIX,
} from './intrinsics.js';
import type {
  AuthorizerSpec,
  CorsSpec,
  FunctionSpec,
  HttpApiSpec,
  IntegrationSpec,
  RouteSpec,
  StageSpec,
  Topology,
  TriggerName,
  UserPoolClientSpec,
  UserPoolSpec,
} from './types.js';

export interface TopologyOptions {
  stackName: string;
  region: string;
  accountId: string;
  /** The directory `aws:asset:path` metadata is relative to: the cloud assembly (cdk.out). */
  assetBaseDir: string;
  /** Values for template parameters; others take their Default. */
  parameters?: Readonly<Record<string, string>>;
  /** Where inline (`Code.ZipFile`) function code is written. Default: `<os tmpdir>/gatehouse-inline-code`. */
  inlineCodeDir?: string;
}

/** API Gateway's account-level throttling defaults, used for whichever half of a route setting is missing. */
export const ACCOUNT_THROTTLING = { burstLimit: 5000, rateLimit: 10000 } as const;

const TRIGGERS: readonly TriggerName[] = [
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'PreTokenGeneration',
  'CustomMessage',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'UserMigration',
];

/** Resource types that change behaviour in AWS but are not emulated: each gets a warning, not an error. */
const NOT_EMULATED: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPoolIdentityProvider': 'federated sign-in is not emulated',
  'AWS::Cognito::UserPoolUICustomizationAttachment': 'Hosted UI customization is not applied',
  'AWS::Cognito::ManagedLoginBranding': 'managed login branding is not applied',
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': 'threat protection is not emulated',
  'AWS::Cognito::UserPoolUser': 'users are not pre-created; sign them up or use AdminCreateUser',
  'AWS::Cognito::UserPoolUserToGroupAttachment': 'group memberships are not pre-created',
  'AWS::Cognito::IdentityPool': 'identity pools are not emulated',
  'AWS::ApiGatewayV2::VpcLink': 'VPC links are not emulated',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Builds the topology of one stack's template. Physical ids are deterministic for (stackName, logical id).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
export function topologyFromTemplate(template: object, opts: TopologyOptions): Topology {
  const tpl = checkTemplate(template);
  const r = new Resolver(tpl, opts);
  const warnings: string[] = [];
  const ofType = (type: string): string[] =>
    Object.keys(tpl.Resources).filter(
      (id) => (tpl.Resources[id] as CfnResource).Type === type && r.isActive(id),
    );

  for (const [id, res] of Object.entries(tpl.Resources)) {
    const why = NOT_EMULATED[res.Type];
    if (why && r.isActive(id)) warnings.push(`${id} (${res.Type}): ${why}`);
  }

  const allFunctions = ofType('AWS::Lambda::Function').map((id) => readFunction(r, id, opts, warnings));
  const ctx: Ctx = { r, warnings, functionNames: new Set(allFunctions.map((f) => f.name)), used: new Set() };
  const providers = customResourceProviders(r, tpl, warnings);

  const userPools = ofType('AWS::Cognito::UserPool').map((id) => readUserPool(ctx, id));
  const poolFor = (id: string): UserPoolSpec => {
    const poolId = r.properties(id).UserPoolId;
    assertResolved(poolId, id, 'UserPoolId', r.at(id));
    const pool = userPools.find((p) => p.id === poolId);
    if (!pool) fail(r, id, `UserPoolId ${String(poolId)} is not a user pool of this stack`);
    return pool;
  };
  for (const id of ofType('AWS::Cognito::UserPoolClient')) {
    poolFor(id).clients.push(readClient(r, id));
  }
  for (const id of ofType('AWS::Cognito::UserPoolDomain')) {
    const pool = poolFor(id);
    const props = r.properties(id);
    const prefix = requireString(r, id, props.Domain, 'Domain');
    // A pool has at most one prefix domain and one custom domain; the prefix domain is the local Hosted UI's.
    const isCustom = props.CustomDomainConfig !== undefined;
    if (!pool.domain || !isCustom) {
      if (pool.domain && !isCustom)
        warnings.push(`${id}: ${pool.logicalId} already has a domain; using ${prefix}`);
      pool.domain = { logicalId: id, prefix };
    }
  }
  for (const id of ofType('AWS::Cognito::UserPoolGroup')) {
    poolFor(id).groups.push({ logicalId: id, properties: r.properties(id) });
  }
  for (const id of ofType('AWS::Cognito::UserPoolResourceServer')) {
    const props = r.properties(id);
    requireString(r, id, props.Identifier, 'Identifier');
    poolFor(id).resourceServers.push({ logicalId: id, properties: props });
  }

  const apis = ofType('AWS::ApiGatewayV2::Api').map((id) => readApi(r, id));
  const apiFor = (id: string): HttpApiSpec => {
    const apiId = r.properties(id).ApiId;
    assertResolved(apiId, id, 'ApiId', r.at(id));
    const api = apis.find((a) => a.id === apiId);
    if (!api) fail(r, id, `ApiId ${String(apiId)} is not an HTTP API of this stack`);
    return api;
  };
  for (const id of ofType('AWS::ApiGatewayV2::Integration')) {
    apiFor(id).integrations.push(readIntegration(ctx, id));
  }
  for (const id of ofType('AWS::ApiGatewayV2::Authorizer')) {
    apiFor(id).authorizers.push(readAuthorizer(ctx, id));
  }
  for (const id of ofType('AWS::ApiGatewayV2::Route')) {
    const api = apiFor(id);
    const route = readRoute(r, id, api);
    const clash = api.routes.find((x) => x.routeKey === route.routeKey);
    if (clash) fail(r, id, `RouteKey ${route.routeKey} is also the key of ${clash.logicalId}`);
    api.routes.push(route);
  }
  for (const id of ofType('AWS::ApiGatewayV2::Stage')) {
    const api = apiFor(id);
    const stage = readStage(r, id);
    const clash = api.stages.find((x) => x.name === stage.name);
    if (clash) fail(r, id, `StageName ${stage.name} is also the name of ${clash.logicalId}`);
    api.stages.push(stage);
  }

  const buckets = ofType('AWS::S3::Bucket').map((id) => ({ logicalId: id, name: r.ref(id, id) }));

  // Custom resource providers run at deploy time only; a provider the app also uses stays.
  const functions = allFunctions.filter((f) => !providers.has(f.name) || ctx.used.has(f.name));
  return {
    stackName: opts.stackName,
    region: opts.region,
    accountId: opts.accountId,
    userPools,
    functions,
    apis,
    buckets,
    warnings,
  };
}

interface Ctx {
  r: Resolver;
  warnings: string[];
  functionNames: Set<string>;
  /** Functions a trigger, integration or authorizer refers to. */
  used: Set<string>;
}

/**
 * Names of the functions that serve as ServiceToken of custom resources (CDK's auto-delete-objects and log
 * retention providers, for instance). Custom resources act at deploy time, so each gets a warning.
 */
function customResourceProviders(r: Resolver, tpl: CfnTemplate, warnings: string[]): Set<string> {
  const names = new Set<string>();
  for (const [id, res] of Object.entries(tpl.Resources)) {
    if (!(res.Type.startsWith('Custom::') || res.Type === 'AWS::CloudFormation::CustomResource')) continue;
    if (!r.isActive(id)) continue;
    warnings.push(`${id} (${res.Type}): custom resources are not run locally`);
    try {
      const token = r.resolve(res.Properties?.ServiceToken, id);
      if (typeof token === 'string') names.add(functionNameOf(token));
    } catch {
      // A token the local cloud cannot resolve names no local function: nothing to leave out.
    }
  }
  return names;
}

function fail(r: Resolver, logicalId: string, why: string): never {
  throw new TemplateError(`${r.at(logicalId)}: ${why}`, logicalId);
}

function checkTemplate(template: object): CfnTemplate & { Resources: Record<string, CfnResource> } {
  if (!isRecord(template) || !isRecord(template.Resources)) {
    throw new TemplateError('The template has no Resources section');
  }
  if (template.Transform !== undefined) {
    throw new TemplateError(
      `The template uses Transform ${JSON.stringify(template.Transform)}, which the local cloud cannot expand`,
    );
  }
  for (const [id, res] of Object.entries(template.Resources)) {
    if (!isRecord(res) || typeof res.Type !== 'string') {
      throw new TemplateError(`Resource ${id} has no Type`, id);
    }
    if (res.Properties !== undefined && !isRecord(res.Properties)) {
      throw new TemplateError(`Resource ${id} (${res.Type}): Properties must be an object`, id);
    }
  }
  return template as unknown as CfnTemplate & { Resources: Record<string, CfnResource> };
}

function requireString(r: Resolver, id: string, value: unknown, property: string): string {
  assertResolved(value, id, property, r.at(id));
  if (typeof value !== 'string' || value === '') fail(r, id, `${property} must be a non-empty string`);
  return value;
}

function optionalString(r: Resolver, id: string, value: unknown, property: string): string | undefined {
  return value === undefined ? undefined : requireString(r, id, value, property);
}

function stringList(r: Resolver, id: string, value: unknown, property: string): string[] {
  if (value === undefined) return [];
  assertResolved(value, id, property, r.at(id));
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(r, id, `${property} must be a list of strings`);
  }
  return value;
}

function numberOr(r: Resolver, id: string, value: unknown, property: string, dflt: number): number {
  if (value === undefined) return dflt;
  // Parameters resolve to strings, so `"30"` is a number here as it is in CloudFormation.
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(r, id, `${property} must be a number`);
  return n;
}

function booleanOr(r: Resolver, id: string, value: unknown, property: string, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(r, id, `${property} must be true or false`);
}

/** A Lambda function name from a function ARN, an API Gateway invocation ARN, or a bare name. */
function lambdaName(ctx: Ctx, id: string, value: unknown, property: string): string {
  const text = requireString(ctx.r, id, value, property);
  const invocation = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(
    text,
  );
  const name = functionNameOf(invocation?.[1] ?? text);
  if (!ctx.functionNames.has(name)) {
    fail(ctx.r, id, `${property} refers to function ${name}, which is not a function of this stack`);
  }
  ctx.used.add(name);
  return name;
}

function readFunction(r: Resolver, id: string, opts: TopologyOptions, warnings: string[]): FunctionSpec {
  const props = r.properties(id);
  const name = r.ref(id, id);
  if (props.PackageType === 'Image' || (isRecord(props.Code) && props.Code.ImageUri !== undefined)) {
    fail(r, id, 'container image functions are not supported locally; use a zip (asset) function');
  }
  const runtime = requireString(r, id, props.Runtime, 'Runtime');
  const environment: Record<string, string> = {};
  const variables = isRecord(props.Environment) ? props.Environment.Variables : undefined;
  if (variables !== undefined && !isRecord(variables)) fail(r, id, 'Environment.Variables must be an object');
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      fail(r, id, `Environment.Variables.${key} must be a string`);
    }
    environment[key] = String(value);
    // The function may never read it, so this is a warning: a start-up error would block the whole stack.
    if (environment[key].includes(UNRESOLVED_PREFIX)) {
      warnings.push(`${id}: environment variable ${key} has no local value (${environment[key]})`);
    }
  }
  if (props.Layers !== undefined) warnings.push(`${id}: Layers are not loaded locally`);
  return {
    logicalId: id,
    name,
    arn: `arn:${r.partition}:lambda:${r.region}:${r.accountId}:function:${name}`,
    handler: requireString(r, id, props.Handler, 'Handler'),
    runtime,
    codeDir: codeDirOf(r, id, props, runtime, opts),
    timeout: numberOr(r, id, props.Timeout, 'Timeout', 3),
    memorySize: numberOr(r, id, props.MemorySize, 'MemorySize', 128),
    environment,
  };
}

/**
 * Where the function's unzipped code is: the asset directory CDK names in the resource's `aws:asset:path`
 * metadata, else the `asset.<hash>` directory of a CDK `<hash>.zip` S3 key, else inline `ZipFile` code
 * written to a directory of its own.
 */
function codeDirOf(
  r: Resolver,
  id: string,
  props: Record<string, unknown>,
  runtime: string,
  opts: TopologyOptions,
): string {
  const code = isRecord(props.Code) ? props.Code : {};
  const assetPath = r.resource(id)?.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return existingDir(r, id, resolve(opts.assetBaseDir, assetPath));
  if (typeof code.ZipFile === 'string') return writeInlineCode(r, id, code.ZipFile, runtime, opts);
  const key = typeof code.S3Key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(code.S3Key) : null;
  if (key) return existingDir(r, id, resolve(opts.assetBaseDir, `asset.${key[1]}`));
  return fail(
    r,
    id,
    'has no local code: no aws:asset:path metadata, no CDK asset S3Key and no Code.ZipFile (synthesize with the CDK CLI)',
  );
}

function existingDir(r: Resolver, id: string, dir: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return fail(r, id, `its code directory ${dir} does not exist; run \`npm run synth\``);
  }
  if (!isDir) fail(r, id, `its code asset ${dir} is a file; only directory assets are supported locally`);
  return dir;
}

function writeInlineCode(
  r: Resolver,
  id: string,
  source: string,
  runtime: string,
  opts: TopologyOptions,
): string {
  // Lambda writes ZipFile code to index.js (Node.js) or index.py (Python).
  const file = runtime.startsWith('nodejs')
    ? 'index.js'
    : runtime.startsWith('python')
      ? 'index.py'
      : undefined;
  if (!file)
    fail(r, id, `inline Code.ZipFile is only supported for nodejs and python runtimes, not ${runtime}`);
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  const dir = join(
    opts.inlineCodeDir ?? join(tmpdir(), 'gatehouse-inline-code'),
    `${safe(r.stackName)}-${safe(id)}-${digest}`,
  );
  const path = join(dir, file);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== source) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, source);
  }
  return dir;
}

function readUserPool(ctx: Ctx, id: string): UserPoolSpec {
  const { r } = ctx;
  const props = r.properties(id);
  const triggers: Partial<Record<TriggerName, string>> = {};
  const lambdaConfig = props.LambdaConfig;
  if (lambdaConfig !== undefined && !isRecord(lambdaConfig)) fail(r, id, 'LambdaConfig must be an object');
  for (const [key, value] of Object.entries(lambdaConfig ?? {})) {
    if ((TRIGGERS as readonly string[]).includes(key)) {
      triggers[key as TriggerName] = lambdaName(ctx, id, value, `LambdaConfig.${key}`);
    } else if (key === 'PreTokenGenerationConfig' && isRecord(value)) {
      // The V2 form; LambdaVersion stays in properties for the IdP to read.
      const arn = value.LambdaArn;
      if (arn !== undefined)
        triggers.PreTokenGeneration = lambdaName(ctx, id, arn, `LambdaConfig.${key}.LambdaArn`);
    } else if (key === 'CustomSMSSender' || key === 'CustomEmailSender') {
      ctx.warnings.push(`${id}: LambdaConfig.${key} is not invoked locally (mail goes to the local outbox)`);
    }
  }
  const poolId = r.ref(id, id);
  return {
    logicalId: id,
    id: poolId,
    name:
      optionalString(r, id, props.UserPoolName, 'UserPoolName') ??
      // CloudFormation names an unnamed pool after its logical id plus a random suffix.
      `${id}-${hashId(['UserPoolName', r.stackName, id], ALNUM, 12)}`,
    properties: props,
    triggers,
    clients: [],
    domain: undefined,
    groups: [],
    resourceServers: [],
  };
}

function readClient(r: Resolver, id: string): UserPoolClientSpec {
  const props = r.properties(id);
  // The fields sign-in and the Hosted UI rely on must be real values.
  for (const key of [
    'CallbackURLs',
    'LogoutURLs',
    'DefaultRedirectURI',
    'AllowedOAuthScopes',
    'ExplicitAuthFlows',
  ]) {
    assertResolved(props[key], id, key, r.at(id));
  }
  stringList(r, id, props.CallbackURLs, 'CallbackURLs');
  stringList(r, id, props.LogoutURLs, 'LogoutURLs');
  stringList(r, id, props.AllowedOAuthScopes, 'AllowedOAuthScopes');
  return { logicalId: id, id: r.ref(id, id), properties: props };
}

function readApi(r: Resolver, id: string): HttpApiSpec {
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

function readStage(r: Resolver, id: string): StageSpec {
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

function readRoute(r: Resolver, id: string, api: HttpApiSpec): RouteSpec {
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

function readIntegration(ctx: Ctx, id: string): IntegrationSpec {
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

function readAuthorizer(ctx: Ctx, id: string): AuthorizerSpec {
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
