import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('AdminConfirmSignUp', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('confirms an UNCONFIRMED user without a code, and only once', async () => {
    const { poolId, clientId } = await h.setup();
    await h.call('SignUp', { ClientId: clientId, Username: 'a@example.com', Password: PASSWORD });
    await h.call('AdminConfirmSignUp', { UserPoolId: poolId, Username: 'a@example.com' });
    expect((await h.signIn(clientId, 'a@example.com')).AccessToken).toBeTruthy();
    expect(
      await errorOf(h.call('AdminConfirmSignUp', { UserPoolId: poolId, Username: 'a@example.com' })),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });
});
