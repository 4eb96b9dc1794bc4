import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminResetUserPassword', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('requires a reset at the next sign-in and mails a code to finish it', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'r@example.com');
    await h.call('AdminResetUserPassword', { UserPoolId: poolId, Username: 'r@example.com' });
    expect(await errorOf(h.signIn(clientId, 'r@example.com'))).toMatchObject({
      code: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
    });
    await h.call('ConfirmForgotPassword', {
      ClientId: clientId,
      Username: 'r@example.com',
      ConfirmationCode: h.code('r@example.com'),
      Password: 'Reset-Passw0rd!',
    });
    expect((await h.signIn(clientId, 'r@example.com', 'Reset-Passw0rd!')).AccessToken).toBeTruthy();
  });
});
