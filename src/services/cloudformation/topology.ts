/**
 * CloudFormation template → typed {@link Topology}: the user pools, functions and HTTP APIs the local cloud
 * runs. Resources the local cloud does not need are ignored; a resource it needs but cannot interpret is a
 * TemplateError that names it. A pure translation: the readers per resource family are in read*.ts, and the one
 * file write (inline code) is inlineCode.ts, called by load.ts.
 */
import { functionNameOf } from '../../shared/invoker.js';
import { TemplateError } from './errors.js';
import type { InlineCodeFile } from './inlineCode.js';
import { assertResolved, type CfnResource, type CfnTemplate, Resolver } from './intrinsics.js';
import { readBranding } from './readBranding.js';
import { readFunction } from './readFunctions.js';
import { readApi, readAuthorizer, readIntegration, readRoute, readStage } from './readHttpApis.js';
import { type Ctx, fail, isRecord, requireString } from './readProperties.js';
import { readClient, readUserPool } from './readUserPools.js';
import type { HttpApiSpec, Topology, UserPoolSpec } from './types.js';

export { ACCOUNT_THROTTLING } from './readHttpApis.js';

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

/** Resource types that change behaviour in AWS but are not emulated: each gets a warning, not an error. */
const NOT_EMULATED: Readonly<Record<string, string>> = {
  'AWS::Cognito::UserPoolIdentityProvider': 'federated sign-in is not emulated',
  'AWS::Cognito::UserPoolRiskConfigurationAttachment': 'threat protection is not emulated',
  'AWS::Cognito::UserPoolUser': 'users are not pre-created; sign them up or use AdminCreateUser',
  'AWS::Cognito::UserPoolUserToGroupAttachment': 'group memberships are not pre-created',
  'AWS::Cognito::IdentityPool': 'identity pools are not emulated',
  'AWS::ApiGatewayV2::VpcLink': 'VPC links are not emulated',
};

/** A translated template: the topology, and the inline code files its functions need on disk. */
export interface Translation {
  topology: Topology;
  inlineCode: InlineCodeFile[];
}

/**
 * Translates one stack's template into the topology, writing nothing: inline function code comes back as a list of
 * files (load.ts writes them). Physical ids are deterministic for (stackName, logical id).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
export function translateTemplate(template: object, opts: TopologyOptions): Translation {
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

  const inlineCode: InlineCodeFile[] = [];
  const allFunctions = ofType('AWS::Lambda::Function').map((id) =>
    readFunction(r, id, opts, warnings, inlineCode),
  );
  const ctx: Ctx = { r, warnings, functionNames: new Set(allFunctions.map((f) => f.name)), used: new Set() };
  const providers = customResourceProviders(r, tpl);

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

  readBranding(r, ofType, poolFor);

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
    topology: {
      stackName: opts.stackName,
      region: opts.region,
      accountId: opts.accountId,
      userPools,
      functions,
      apis,
      buckets,
      warnings,
    },
    inlineCode,
  };
}

/**
 * Names of the functions that serve as ServiceToken of custom resources (CDK's auto-delete-objects and log
 * retention providers, for instance). Custom resources act at deploy time: the CloudFormation engine runs them.
 */
function customResourceProviders(r: Resolver, tpl: CfnTemplate): Set<string> {
  const names = new Set<string>();
  for (const [id, res] of Object.entries(tpl.Resources)) {
    if (!(res.Type.startsWith('Custom::') || res.Type === 'AWS::CloudFormation::CustomResource')) continue;
    if (!r.isActive(id)) continue;
    try {
      const token = r.resolve(res.Properties?.ServiceToken, id);
      if (typeof token === 'string') names.add(functionNameOf(token));
    } catch {
      // A token the local cloud cannot resolve names no local function: nothing to leave out.
    }
  }
  return names;
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
