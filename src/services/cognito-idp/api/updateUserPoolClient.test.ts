import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('UpdateUserPoolClient', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('replaces settings, keeps the secret, and the new auth flows apply at once', async () => {
    const { poolId, clientId, secret, hash } = await h.setup({ client: { GenerateSecret: true } });
    await h.confirmedUser(clientId, hash, 'u@example.com');
    const res = await h.call<{ UserPoolClient: Record<string, unknown> }>('UpdateUserPoolClient', {
      UserPoolId: poolId,
      ClientId: clientId,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
    });
    expect(res.UserPoolClient.ClientSecret).toBe(secret);
    expect(res.UserPoolClient.ClientName).toBe('unit');
    const err = await errorOf(
      h.call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'u@example.com', PASSWORD, SECRET_HASH: hash('u@example.com') },
      }),
    );
    expect(err).toMatchObject({
      code: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });
});
