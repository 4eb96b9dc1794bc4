/**
 * `AWS::Cognito::UserPoolUICustomizationAttachment` and `AWS::Cognito::ManagedLoginBranding` → the branding of a
 * {@link UserPoolSpec}, which provisioning applies through the IdP's branding service (the same checks as
 * SetUICustomization and CreateManagedLoginBranding).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpooluicustomizationattachment.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-managedloginbranding.html
 */
import type { Resolver } from './intrinsics.js';
import { fail, isRecord, optionalString, requireString } from './readProperties.js';
import { assertResolved } from './template.js';
import type { UserPoolSpec } from './types.js';

export function readBranding(
  r: Resolver,
  ofType: (type: string) => string[],
  poolFor: (logicalId: string) => UserPoolSpec,
): void {
  for (const id of ofType('AWS::Cognito::UserPoolUICustomizationAttachment')) {
    const props = r.properties(id);
    assertResolved(props.ClientId, id, 'ClientId', r.at(id));
    assertResolved(props.CSS, id, 'CSS', r.at(id));
    const pool = poolFor(id);
    pool.uiCustomizations ??= [];
    pool.uiCustomizations.push({
      logicalId: id,
      clientId: requireString(r, id, props.ClientId, 'ClientId'),
      css: optionalString(r, id, props.CSS, 'CSS'),
    });
  }
  for (const id of ofType('AWS::Cognito::ManagedLoginBranding')) {
    const props = r.properties(id);
    assertResolved(props.ClientId, id, 'ClientId', r.at(id));
    const settings = props.Settings;
    if (settings !== undefined && !isRecord(settings)) fail(r, id, 'Settings must be a JSON object');
    if (props.Assets !== undefined && !Array.isArray(props.Assets)) fail(r, id, 'Assets must be a list');
    const pool = poolFor(id);
    pool.managedLoginBrandings ??= [];
    pool.managedLoginBrandings.push({
      logicalId: id,
      clientId: requireString(r, id, props.ClientId, 'ClientId'),
      properties: props,
    });
  }
}
