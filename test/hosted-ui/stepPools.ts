import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import { CALLBACK } from './helpers.js';

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
