import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('AdminInitiateAuth', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('signs in with ADMIN_USER_PASSWORD_AUTH when the client allows it', async () => {
    const { clientId, poolId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'a@example.com');
    const res = await h.call<{ AuthenticationResult: { AccessToken: string } }>('AdminInitiateAuth', {
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'a@example.com', PASSWORD },
    });
    expect(res.AuthenticationResult.AccessToken).toBeTruthy();
  });

  it('refuses the flow when ExplicitAuthFlows does not allow it', async () => {
    const { clientId, poolId } = await h.setup({ client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] } });
    expect(
      await errorOf(
        h.call('AdminInitiateAuth', {
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'a', PASSWORD },
        }),
      ),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  it('refuses a client of another pool', async () => {
    const a = await h.setup();
    const b = await h.setup();
    expect(
      (
        await errorOf(
          h.call('AdminInitiateAuth', {
            UserPoolId: b.poolId,
            ClientId: a.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          }),
        )
      ).code,
    ).toBe('ResourceNotFoundException');
  });
});
