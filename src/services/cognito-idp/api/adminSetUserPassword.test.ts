import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminSetUserPassword', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('sets a permanent password (CONFIRMED) or a temporary one (FORCE_CHANGE_PASSWORD)', async () => {
    const { poolId, clientId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 's@example.com',
      MessageAction: 'SUPPRESS',
    });
    await h.call('AdminSetUserPassword', {
      UserPoolId: poolId,
      Username: 's@example.com',
      Password: 'Perm-Passw0rd!',
      Permanent: true,
    });
    expect((await h.signIn(clientId, 's@example.com', 'Perm-Passw0rd!')).AccessToken).toBeTruthy();
    await h.call('AdminSetUserPassword', {
      UserPoolId: poolId,
      Username: 's@example.com',
      Password: 'Temp-Passw0rd!',
      Permanent: false,
    });
    const step = await h.call<{ ChallengeName: string }>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 's@example.com', PASSWORD: 'Temp-Passw0rd!' },
    });
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('applies the password policy', async () => {
    const { poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'p@example.com',
      MessageAction: 'SUPPRESS',
    });
    expect(
      await errorOf(
        h.call('AdminSetUserPassword', {
          UserPoolId: poolId,
          Username: 'p@example.com',
          Password: 'nouppercase1!',
          Permanent: true,
        }),
      ),
    ).toMatchObject({
      code: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
  });
});
