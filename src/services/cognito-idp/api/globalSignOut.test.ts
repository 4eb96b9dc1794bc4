import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('GlobalSignOut', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('revokes every session of the user, refresh tokens included', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'g@example.com');
    const one = await h.signIn(clientId, 'g@example.com');
    const two = await h.signIn(clientId, 'g@example.com');
    await h.call('GlobalSignOut', { AccessToken: two.AccessToken });
    expect(await errorOf(h.call('GetUser', { AccessToken: one.AccessToken }))).toMatchObject({
      message: 'Access Token has been revoked',
    });
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: one.RefreshToken },
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    // A new sign-in works again.
    const three = await h.signIn(clientId, 'g@example.com');
    await h.call('GetUser', { AccessToken: three.AccessToken });
  });
});
