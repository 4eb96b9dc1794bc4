/**
 * AWS::Lambda::Function and AWS::Lambda::Permission, one resource at a time through Lambda's internal operations
 * (EngineTargets.lambda): the stack's function is created, updated and deleted as CreateFunction, a deploy and
 * DeleteFunction would, and kept in Lambda's own store, so a restart serves it with nothing re-applied.
 *
 * Like CloudFormation, the function is tagged `aws:cloudformation:stack-name`, `stack-id` and `logical-id`; a
 * function carrying this resource's tags is adopted as it is on create (the stack's resources restored at start). An update replaces
 * the code only when `Code` changed: a `cdk deploy --hotswap` stays until a change set changes the function's code.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html
 */
import { isDeepStrictEqual } from 'node:util';
import { AwsError } from '../../../protocols/index.js';
import { readFunctionConfig } from '../readFunctions.js';
import { isRecord } from '../template.js';
import { CODE_DIR, functionCode } from './lambdaCode.js';
import {
  type ProviderRequest,
  type ProviderResult,
  ResourceFailure,
  type ResourceProvider,
} from './providers.js';
import type { EngineTargets, LambdaFunctionInput, LambdaPermissionInput } from './targets.js';

type Lambda = NonNullable<EngineTargets['lambda']>;

const lambdaOf = (r: ProviderRequest): Lambda => {
  if (!r.targets.lambda) throw new ResourceFailure('Lambda is not available in this local cloud');
  return r.targets.lambda;
};

const refOf = (r: ProviderRequest) => r.resolver.ref(r.logicalId, r.logicalId);

/** Lambda's refusal, as CloudFormation reports a resource handler's error. */
async function handler<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    throw new ResourceFailure(
      `Resource handler returned message: "${e.message}" (Service: Lambda, Status Code: ${e.statusCode}, Error Code: ${e.code})`,
    );
  }
}

const required = (r: ProviderRequest, key: string): string => {
  const v = r.properties[key];
  if (typeof v !== 'string' || v === '') {
    throw new ResourceFailure(
      `Properties validation failed for resource ${r.logicalId} with message: #: required key [${key}] not found`,
    );
  }
  return v;
};

/** CloudFormation's own tags on what it creates. */
const stackTags = (r: ProviderRequest): Record<string, string> => ({
  'aws:cloudformation:stack-name': r.stack.stackName,
  'aws:cloudformation:stack-id': r.stack.stackId,
  'aws:cloudformation:logical-id': r.logicalId,
});

function templateTags(r: ProviderRequest): Record<string, string> {
  const tags = r.properties.Tags;
  if (tags === undefined) return {};
  const ok =
    Array.isArray(tags) &&
    tags.every((t) => isRecord(t) && typeof t.Key === 'string' && typeof t.Value === 'string');
  if (!ok)
    throw new ResourceFailure('Properties validation failed: Tags must be a list of { Key, Value } strings');
  return Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
}

/** The function's CreateFunction members from its resolved properties (the same reading the topology uses). */
function functionInput(r: ProviderRequest, name: string): Omit<LambdaFunctionInput, 'Code'> {
  const config = readFunctionConfig(r.resolver, r.logicalId, r.properties, []);
  const p = r.properties;
  return {
    FunctionName: name,
    Runtime: config.runtime,
    Handler: config.handler,
    Timeout: config.timeout,
    MemorySize: config.memorySize,
    Environment: { Variables: config.environment },
    Role: required(r, 'Role'),
    ...(typeof p.Description === 'string' ? { Description: p.Description } : {}),
    ...(Array.isArray(p.Architectures) ? { Architectures: p.Architectures.map(String) } : {}),
    ...(typeof p.PackageType === 'string' ? { PackageType: p.PackageType } : {}),
    Tags: { ...templateTags(r), ...stackTags(r) },
  };
}

const result = (name: string, codeDir: string): ProviderResult => ({
  physicalId: name,
  attributes: { [CODE_DIR]: codeDir },
});

/** Whether the function named is the one this stack's resource made (its CloudFormation tags say so). */
function ownFunction(f: { tags: Record<string, string> } | undefined, r: ProviderRequest): boolean {
  return (
    f !== undefined &&
    f.tags['aws:cloudformation:stack-id'] === r.stack.stackId &&
    f.tags['aws:cloudformation:logical-id'] === r.logicalId
  );
}

export const lambdaFunction: ResourceProvider = {
  async create(r) {
    const lambda = lambdaOf(r);
    const name = refOf(r);
    // This resource's own function is adopted as it is (the stack's resources restored after a restart: a hotswap
    // and other updates made through the API stay).
    const existing = lambda.getFunction(name);
    if (ownFunction(existing, r)) return result(name, existing?.codeDir ?? '');
    const input = functionInput(r, name);
    const Code = functionCode(r);
    const { codeDir } = await handler(() => lambda.createFunction({ ...input, Code }));
    return result(name, codeDir);
  },
  async update(r) {
    const lambda = lambdaOf(r);
    const name = r.current?.physicalId ?? refOf(r);
    // A function Lambda lacks (a data dir from before stacks' functions were Lambda's own) is created again.
    if (lambda.getFunction(name) === undefined) return lambdaFunction.create(r);
    const input = functionInput(r, name);
    // The code is deployed again only when the template's Code changed (a new asset, another S3 key, new source).
    const codeChanged = !isDeepStrictEqual(r.current?.properties.Code, r.properties.Code);
    const { codeDir } = await handler(() =>
      lambda.updateFunction({ ...input, ...(codeChanged ? { Code: functionCode(r) } : {}) }),
    );
    return result(name, codeDir);
  },
  async delete(r) {
    const lambda = lambdaOf(r);
    await handler(() => lambda.deleteFunction(r.current?.physicalId ?? refOf(r)));
  },
  exists(r) {
    return lambdaOf(r).getFunction(r.current?.physicalId ?? refOf(r)) !== undefined;
  },
};

function permissionInput(r: ProviderRequest, statementId: string): LambdaPermissionInput {
  const p = r.properties;
  const optional = (key: keyof LambdaPermissionInput) =>
    typeof p[key] === 'string' ? { [key]: p[key] as string } : {};
  return {
    FunctionName: required(r, 'FunctionName'),
    StatementId: statementId,
    Action: required(r, 'Action'),
    Principal: required(r, 'Principal'),
    ...optional('SourceArn'),
    ...optional('SourceAccount'),
    ...optional('EventSourceToken'),
    ...optional('PrincipalOrgID'),
    ...optional('FunctionUrlAuthType'),
  };
}

/** The statement id is the physical id: the name CloudFormation generates for the resource. */
export const lambdaPermission: ResourceProvider = {
  async create(r) {
    const lambda = lambdaOf(r);
    const sid = refOf(r);
    const input = permissionInput(r, sid);
    // The statement ids are the stack's own: one already there is this resource's (a stack restored).
    if (!lambda.hasPermission(input.FunctionName, sid)) await handler(() => lambda.addPermission(input));
    return { physicalId: sid };
  },
  async update(r) {
    await lambdaPermission.delete({ ...r, properties: r.current?.properties ?? r.properties });
    return lambdaPermission.create(r);
  },
  async delete(r) {
    const lambda = lambdaOf(r);
    const fn = r.properties.FunctionName;
    if (typeof fn !== 'string') return;
    await handler(() => lambda.removePermission(fn, r.current?.physicalId ?? refOf(r)));
  },
  exists(r) {
    const fn = r.current?.properties.FunctionName;
    return typeof fn === 'string' && lambdaOf(r).hasPermission(fn, r.current?.physicalId ?? refOf(r));
  },
};
