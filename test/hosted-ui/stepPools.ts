import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import type { Clock } from '../../src/shared/clock.js';
import type { FunctionInvoker } from '../../src/shared/invoker.js';
import { CALLBACK, type HostedUiCloud, PASSWORD, startHostedUiCloud } from './helpers.js';

/** A user the step tests sign in as: pool, email (the username), and attributes beside the verified email. */
export type StepUser = readonly [poolId: string, email: string, attributes?: Record<string, string>];

/** Creates confirmed users with a verified email and the permanent password PASSWORD. */
export async function addStepUsers(cloud: HostedUiCloud, users: readonly StepUser[]): Promise<void> {
  const { accounts } = cloud.idp.service;
  for (const [poolId, email, extra] of users) {
    await accounts.adminCreateUser(poolId, {
      username: email,
      attributes: { email, email_verified: 'true', ...extra },
      messageAction: 'SUPPRESS',
    });
    accounts.adminSetUserPassword(poolId, email, PASSWORD, true);
  }
}

/** The Hosted UI with the MFA pool and the passwordless pool below, and these users in them. */
export async function startStepCloud(o: {
  users: readonly StepUser[];
  clock?: Clock;
  /** Serve on `localhost`, the pools' passkey relying party (the default), or on 127.0.0.1. */
  localhost?: boolean;
  /** The step pools' Lambda triggers, which `invoker` runs. */
  triggers?: UserPoolSpec['triggers'];
  invoker?: FunctionInvoker;
  /** Pools besides the two step pools. */
  otherPools?: UserPoolSpec[];
}): Promise<HostedUiCloud> {
  const triggers = o.triggers ?? {};
  const cloud = await startHostedUiCloud({
    pools: [...(o.otherPools ?? []), { ...mfaPool(), triggers }, { ...passwordlessPool(), triggers }],
    localhost: o.localhost ?? true,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.invoker ? { invoker: o.invoker } : {}),
  });
  try {
    await addStepUsers(cloud, o.users);
  } catch (e) {
    await cloud.stop();
    throw e;
  }
  return cloud;
}

export const MFA_POOL_ID = 'us-east-1_MfaPool0001';
export const MFA_CLIENT = 'mfaclient00000000000000000';
export const PWLESS_POOL_ID = 'us-east-1_Pwless0001';
export const PWLESS_CLIENT = 'pwlessclient00000000000000';

const webClient = (logicalId: string, id: string, extra: Record<string, unknown>) => ({
  logicalId,
  id,
  properties: {
    ClientName: logicalId,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
    ...extra,
  },
});

/** A pool with MFA ON by authenticator app or text message; email is the username. */
export function mfaPool(): UserPoolSpec {
  return {
    logicalId: 'MfaPool',
    id: MFA_POOL_ID,
    name: 'MFA pool',
    properties: {
      UserPoolName: 'MFA pool',
      UsernameAttributes: ['email'],
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'],
    },
    triggers: {},
    clients: [webClient('MfaClient', MFA_CLIENT, {})],
    // The Hosted UI serves a pool only while it has a domain.
    domain: { logicalId: 'MfaDomain', prefix: 'mfa-steps' },
    groups: [],
    resourceServers: [],
  };
}

/**
 * A pool with choice-based sign-in (password, email and SMS codes, passkeys on the `localhost` relying party) and a
 * confidential client that allows USER_AUTH, so the Hosted UI shows managed login and answers with SECRET_HASH.
 */
export function passwordlessPool(): UserPoolSpec {
  return {
    logicalId: 'PwlessPool',
    id: PWLESS_POOL_ID,
    name: 'Passwordless pool',
    properties: {
      UserPoolName: 'Passwordless pool',
      UsernameAttributes: ['email'],
      UserPoolTier: 'ESSENTIALS',
      Policies: {
        SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] },
      },
      WebAuthnRelyingPartyID: 'localhost',
      WebAuthnUserVerification: 'preferred',
    },
    triggers: {},
    clients: [
      webClient('PwlessClient', PWLESS_CLIENT, {
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    ],
    domain: { logicalId: 'PwlessDomain', prefix: 'pwless-steps' },
    groups: [],
    resourceServers: [],
  };
}

/** `/oauth2/authorize?…` for a client of these pools (code flow, `openid email`). */
export const authorizeFor = (clientId: string, state = 'st') =>
  `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state,
  })}`;
