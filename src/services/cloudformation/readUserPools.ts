/** `AWS::Cognito::UserPool` and `UserPoolClient` → {@link UserPoolSpec} and {@link UserPoolClientSpec}. */

import type { AssetType } from '@aws-sdk/client-cognito-identity-provider';
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

/** The pool's name: UserPoolName, or CloudFormation's for an unnamed pool (its logical id plus a suffix). */
export function userPoolName(stackName: string, logicalId: string, given: string | undefined): string {
  return given ?? `${logicalId}-${hashId(['UserPoolName', stackName, logicalId], ALNUM, 12)}`;
}

/**
 * An AWS::Cognito::UserPool's properties as CreateUserPool's request: PoolName, and the passkey properties
 * (WebAuthnRelyingPartyID, WebAuthnUserVerification) as WebAuthnConfiguration; the rest have the API's names.
 */
export function userPoolRequest(name: string, props: Record<string, unknown>): Record<string, unknown> {
  const { UserPoolName: _name, WebAuthnRelyingPartyID: rp, WebAuthnUserVerification: uv, ...rest } = props;
  return {
    PoolName: name,
    ...rest,
    ...(rp === undefined && uv === undefined
      ? {}
      : {
          WebAuthnConfiguration: {
            ...(typeof rp === 'string' ? { RelyingPartyId: rp } : {}),
            ...(typeof uv === 'string' ? { UserVerification: uv } : {}),
          },
        }),
  };
}

const numberOf = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** An AWS::Cognito::UserPoolGroup's properties as CreateGroup's request. */
export function groupRequest(
  name: string,
  p: Record<string, unknown>,
): { GroupName: string; Description?: string; RoleArn?: string; Precedence?: number } {
  const precedence = numberOf(p.Precedence);
  return {
    GroupName: name,
    ...(typeof p.Description === 'string' ? { Description: p.Description } : {}),
    ...(typeof p.RoleArn === 'string' ? { RoleArn: p.RoleArn } : {}),
    ...(precedence !== undefined ? { Precedence: precedence } : {}),
  };
}

/** An AWS::Cognito::UserPoolResourceServer's properties as CreateResourceServer's request. */
export function resourceServerRequest(p: Record<string, unknown>): {
  Identifier: string;
  Name: string;
  Scopes: { ScopeName: string; ScopeDescription: string }[];
} {
  const scopes = Array.isArray(p.Scopes)
    ? (p.Scopes as { ScopeName?: unknown; ScopeDescription?: unknown }[])
    : [];
  return {
    Identifier: String(p.Identifier),
    Name: String(p.Name ?? p.Identifier),
    Scopes: scopes.map((s) => ({
      ScopeName: String(s.ScopeName),
      ScopeDescription: String(s.ScopeDescription ?? ''),
    })),
  };
}

/** An AWS::Cognito::ManagedLoginBranding's properties as CreateManagedLoginBranding's request. */
export function managedLoginBrandingRequest(p: Record<string, unknown>): {
  UseCognitoProvidedValues: boolean;
  Settings?: unknown;
  Assets?: AssetType[];
} {
  return {
    UseCognitoProvidedValues: p.UseCognitoProvidedValues === true || p.UseCognitoProvidedValues === 'true',
    ...(p.Settings !== undefined ? { Settings: p.Settings } : {}),
    ...(Array.isArray(p.Assets) ? { Assets: p.Assets as AssetType[] } : {}),
  };
}

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
    name: userPoolName(r.stackName, id, optionalString(r, id, props.UserPoolName, 'UserPoolName')),
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
