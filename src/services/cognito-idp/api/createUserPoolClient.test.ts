import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('CreateUserPoolClient', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('creates a 26-character client id and, when asked, a 51-character secret, with Cognito defaults', async () => {
    const { poolId } = await h.setup();
    const res = await h.call<{ UserPoolClient: Record<string, unknown> }>('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: 'web',
      GenerateSecret: true,
    });
    expect(res.UserPoolClient.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(res.UserPoolClient.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect(res.UserPoolClient).toMatchObject({
      RefreshTokenValidity: 30,
      EnableTokenRevocation: true,
      AuthSessionValidity: 3,
    });
    expect(res.UserPoolClient.TokenValidityUnits).toBeUndefined();
  });

  it('refuses token validities out of range', async () => {
    const { poolId } = await h.setup();
    const err = await errorOf(
      h.call('CreateUserPoolClient', {
        UserPoolId: poolId,
        ClientName: 'x',
        AccessTokenValidity: 2,
        TokenValidityUnits: { AccessToken: 'days' },
      }),
    );
    expect(err.code).toBe('InvalidParameterException');
  });

  it('refuses client_credentials without a secret', async () => {
    const { poolId } = await h.setup();
    const err = await errorOf(
      h.call('CreateUserPoolClient', {
        UserPoolId: poolId,
        ClientName: 'm2m',
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['api/read'],
      }),
    );
    expect(err).toMatchObject({
      code: 'InvalidParameterException',
      message: 'client_credentials flow can not be selected if client does not have a client secret.',
    });
  });
});
