/**
 * Resource providers: how the engine creates, updates and deletes each resource type, through the services'
 * internal operations (./targets.ts). A type with no provider here is refused when the change set is created,
 * naming the type and the logical id.
 */
import type { Resolver } from '../intrinsics.js';
import { isRecord } from '../template.js';
import { apiGatewayProviders } from './apigateway.js';
import { COGNITO_PROVIDERS } from './cognito.js';
import { type CustomResourceContext, runCustomResource } from './custom.js';
import { lambdaFunction, lambdaPermission } from './lambda.js';
import type { EngineTargets } from './targets.js';
import type { ResourceState, Stack } from './types.js';

export interface ProviderRequest {
  stack: Stack;
  logicalId: string;
  type: string;
  /** Resolved properties (Create, Update: the new ones; Delete: the last applied). */
  properties: Record<string, unknown>;
  /** Update and Delete: the resource as it is. */
  current?: ResourceState;
  resolver: Resolver;
  targets: EngineTargets;
  /** Custom resources: where the handler sends its response, and running the stack's functions first. */
  custom: CustomResourceContext;
  /** Where unzipped function code may be found (`aws:asset:path` metadata is relative to it). */
  assetBaseDir: string | undefined;
}

export interface ProviderResult {
  physicalId: string;
  attributes?: Record<string, unknown>;
}

export interface ResourceProvider {
  create(r: ProviderRequest): Promise<ProviderResult>;
  update(r: ProviderRequest): Promise<ProviderResult>;
  delete(r: ProviderRequest): Promise<void>;
  /**
   * Whether the resource a live stack holds is in its service (the engine's restore creates it again when not).
   * Without it, the resource is taken to exist.
   */
  exists?(r: ProviderRequest): boolean | Promise<boolean>;
}

/** A provider failure: the resource's event carries this message as its reason. */
export class ResourceFailure extends Error {}

const need = <K extends keyof EngineTargets>(
  t: EngineTargets,
  k: K,
  what: string,
): NonNullable<EngineTargets[K]> => {
  const v = t[k];
  if (v === undefined) throw new ResourceFailure(`${what} is not available in this local cloud`);
  return v as NonNullable<EngineTargets[K]>;
};

const refOf = (r: ProviderRequest) => r.resolver.ref(r.logicalId, r.logicalId);

/**
 * Types the local services serve from the stack's topology (applied after the operation, see EngineTargets.apply):
 * the physical id is the deterministic one the topology uses.
 */
const fromTopology: ResourceProvider = {
  create: async (r) => ({ physicalId: refOf(r) }),
  update: async (r) => ({ physicalId: refOf(r) }),
  delete: async () => {},
};

/** Types recorded with their properties and physical id but not enforced by any local service. */
const recorded: ResourceProvider = { ...fromTopology };

/** A template's `Tags` list: `[{ Key, Value }]` with string members only. */
function tagsOf(r: ProviderRequest): { Key: string; Value: string }[] {
  const tags = r.properties.Tags;
  if (tags === undefined) return [];
  const ok =
    Array.isArray(tags) &&
    tags.every((t) => isRecord(t) && typeof t.Key === 'string' && typeof t.Value === 'string');
  if (!ok)
    throw new ResourceFailure('Properties validation failed: Tags must be a list of { Key, Value } strings');
  return tags as { Key: string; Value: string }[];
}

const bucket: ResourceProvider = {
  async create(r) {
    const name = refOf(r);
    const s3 = need(r.targets, 's3', 'S3');
    // A bucket of that name already in the local S3 (made before the stack, or by an older data dir) is adopted.
    s3.createBucket(name);
    s3.setBucketTags(name, tagsOf(r));
    return { physicalId: name };
  },
  async update(r) {
    const name = r.current?.physicalId ?? refOf(r);
    need(r.targets, 's3', 'S3').setBucketTags(name, tagsOf(r));
    return { physicalId: name };
  },
  async delete(r) {
    const name = r.current?.physicalId ?? refOf(r);
    const result = need(r.targets, 's3', 'S3').deleteBucket(name);
    if (result === 'not-empty') {
      throw new ResourceFailure(
        'The bucket you tried to delete is not empty (Service: S3, Status Code: 409)',
      );
    }
  },
};

const logGroup: ResourceProvider = {
  async create(r) {
    const name = refOf(r);
    const days = r.properties.RetentionInDays;
    need(r.targets, 'logs', 'CloudWatch Logs').ensureGroup(name, typeof days === 'number' ? days : undefined);
    return { physicalId: name };
  },
  async update(r) {
    return logGroup.create(r);
  },
  async delete(r) {
    need(r.targets, 'logs', 'CloudWatch Logs').deleteGroup(r.current?.physicalId ?? refOf(r));
  },
};

const ssmParameter: ResourceProvider = {
  async create(r) {
    const name = typeof r.properties.Name === 'string' ? r.properties.Name : refOf(r);
    const value = r.properties.Value;
    if (typeof value !== 'string')
      throw new ResourceFailure('Property Value is required and must be a string');
    const type = r.properties.Type === 'StringList' ? 'StringList' : 'String';
    need(r.targets, 'ssm', 'SSM Parameter Store').put(name, value, type);
    return { physicalId: name, attributes: { Type: type, Value: value } };
  },
  update: async (r) => ssmParameter.create(r),
  async delete(r) {
    need(r.targets, 'ssm', 'SSM Parameter Store').delete(r.current?.physicalId ?? refOf(r));
  },
};

const custom: ResourceProvider = {
  create: (r) => runCustomResource('Create', r),
  update: (r) => runCustomResource('Update', r),
  delete: async (r) => {
    await runCustomResource('Delete', r);
  },
};

const PROVIDERS: Readonly<Record<string, ResourceProvider>> = {
  'AWS::CDK::Metadata': recorded,
  'AWS::CloudFormation::WaitConditionHandle': recorded,
  'AWS::S3::Bucket': bucket,
  'AWS::S3::BucketPolicy': recorded,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::IAM::Role': recorded,
  'AWS::IAM::Policy': recorded,
  'AWS::IAM::ManagedPolicy': recorded,
  'AWS::ECR::Repository': recorded,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Permission': lambdaPermission,
  ...COGNITO_PROVIDERS,
  'AWS::ApiGatewayV2::Api': apiGatewayProviders.api,
  'AWS::ApiGatewayV2::Stage': apiGatewayProviders.stage,
  'AWS::ApiGatewayV2::Route': apiGatewayProviders.route,
  'AWS::ApiGatewayV2::Integration': apiGatewayProviders.integration,
  'AWS::ApiGatewayV2::Authorizer': apiGatewayProviders.authorizer,
};

/** Types that are recorded but not served by any local service (README lists them). */
export const RECORDED_ONLY = Object.entries(PROVIDERS)
  .filter(([, p]) => p === recorded)
  .map(([t]) => t);

export function providerFor(type: string): ResourceProvider | undefined {
  if (PROVIDERS[type]) return PROVIDERS[type];
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return custom;
  return undefined;
}
