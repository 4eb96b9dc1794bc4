import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminDisableUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('blocks sign-in and refresh and ends existing sessions', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'x@example.com');
    const t = await h.signIn(clientId, 'x@example.com');
    await h.call('AdminDisableUser', { UserPoolId: poolId, Username: 'x@example.com' });
    expect(await errorOf(h.signIn(clientId, 'x@example.com'))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: t.RefreshToken },
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException' });
    const user = await h.call<{ Enabled: boolean }>('AdminGetUser', {
      UserPoolId: poolId,
      Username: 'x@example.com',
    });
    expect(user.Enabled).toBe(false);
  });
});
