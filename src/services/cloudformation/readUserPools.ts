/** `AWS::Cognito::UserPool` and `UserPoolClient` → {@link UserPoolSpec} and {@link UserPoolClientSpec}. */

import { ALNUM, hashId } from './ids.js';
import type { Resolver } from './intrinsics.js';
import { type Ctx, fail, isRecord, lambdaName, optionalString, stringList } from './readProperties.js';
import { assertResolved } from './template.js';
import type { TriggerName, UserPoolClientSpec, UserPoolSpec } from './types.js';

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

export function readUserPool(ctx: Ctx, id: string): UserPoolSpec {
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

export function readClient(r: Resolver, id: string): UserPoolClientSpec {
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
