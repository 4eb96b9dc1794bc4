/**
 * A change set's changes: the resources the new template adds, modifies (with whether AWS would replace them) or
 * removes, compared with what the stack has now.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html
 */
import { isDeepStrictEqual } from 'node:util';
import type { Resolver } from '../intrinsics.js';
import type { CfnTemplate } from '../template.js';
import type { ResourceChange, ResourceState } from './types.js';

/**
 * Top-level properties whose change makes CloudFormation replace the resource ("Update requires: Replacement" in
 * each type's reference page). `*` means every property.
 */
const REPLACED_BY: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
  'AWS::S3::BucketPolicy': ['Bucket'],
  'AWS::Lambda::Function': ['FunctionName', 'PackageType'],
  'AWS::Lambda::Permission': ['*'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::Policy': [],
  'AWS::Logs::LogGroup': ['LogGroupName', 'LogGroupClass'],
  'AWS::Cognito::UserPool': ['UsernameAttributes', 'AliasAttributes'],
  'AWS::Cognito::UserPoolClient': ['UserPoolId', 'GenerateSecret'],
  'AWS::Cognito::UserPoolDomain': ['Domain', 'UserPoolId'],
  'AWS::Cognito::UserPoolGroup': ['GroupName', 'UserPoolId'],
  'AWS::Cognito::UserPoolResourceServer': ['Identifier', 'UserPoolId'],
  'AWS::ApiGatewayV2::Api': ['ProtocolType'],
  'AWS::ApiGatewayV2::Stage': ['ApiId', 'StageName'],
  'AWS::ApiGatewayV2::Route': ['ApiId'],
  'AWS::ApiGatewayV2::Integration': ['ApiId'],
  'AWS::ApiGatewayV2::Authorizer': ['ApiId'],
  'AWS::SSM::Parameter': ['Name'],
};

/** The resource's resolved properties, or its template properties when they only resolve at deployment. */
export function desiredProperties(
  resolver: Resolver,
  template: CfnTemplate,
  id: string,
): Record<string, unknown> {
  try {
    return resolver.properties(id);
  } catch {
    return template.Resources[id]?.Properties ?? {};
  }
}

export function computeChanges(
  current: Readonly<Record<string, ResourceState>>,
  template: CfnTemplate,
  resolver: Resolver,
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const wanted = Object.keys(template.Resources).filter((id) => resolver.isActive(id));
  for (const id of wanted) {
    const res = template.Resources[id] as { Type: string };
    const after = desiredProperties(resolver, template, id);
    const old = current[id];
    if (!old) {
      changes.push({ action: 'Add', logicalId: id, type: res.Type, details: [], after });
      continue;
    }
    if (old.type !== res.Type) {
      changes.push({
        action: 'Modify',
        logicalId: id,
        type: res.Type,
        physicalId: old.physicalId,
        replacement: 'True',
        details: [{ name: 'Type', requiresRecreation: 'Always' }],
        before: old.properties,
        after,
      });
      continue;
    }
    const names = new Set([...Object.keys(old.properties), ...Object.keys(after)]);
    const replacedBy = REPLACED_BY[res.Type] ?? [];
    const details = [...names]
      .filter((n) => !isDeepStrictEqual(old.properties[n], after[n]))
      .sort()
      .map((name) => ({
        name,
        requiresRecreation: (replacedBy.includes('*') || replacedBy.includes(name) ? 'Always' : 'Never') as
          | 'Always'
          | 'Never',
      }));
    if (details.length === 0) continue;
    changes.push({
      action: 'Modify',
      logicalId: id,
      type: res.Type,
      physicalId: old.physicalId,
      replacement: details.some((d) => d.requiresRecreation === 'Always') ? 'True' : 'False',
      details,
      before: old.properties,
      after,
    });
  }
  for (const [id, old] of Object.entries(current)) {
    if (wanted.includes(id)) continue;
    changes.push({
      action: 'Remove',
      logicalId: id,
      type: old.type,
      physicalId: old.physicalId,
      details: [],
      before: old.properties,
    });
  }
  return changes;
}
