import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminUpdateUserAttributes', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('may mark an email verified, which a user cannot', async () => {
    const { poolId, clientId, hash } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'a@example.com');
    await h.call('AdminUpdateUserAttributes', {
      UserPoolId: poolId,
      Username: 'a@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'b@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    expect(h.stores.idp.users.bySub(poolId, sub)?.attributes).toMatchObject({
      email: 'b@example.com',
      email_verified: 'true',
    });
    expect(h.sent.some((m) => m.to === 'b@example.com')).toBe(false);
    const { AccessToken } = await h.signIn(clientId, 'b@example.com');
    expect(
      await errorOf(
        h.call('UpdateUserAttributes', {
          AccessToken,
          UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('refuses to change sub', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 's@example.com');
    expect(
      (
        await errorOf(
          h.call('AdminUpdateUserAttributes', {
            UserPoolId: poolId,
            Username: 's@example.com',
            UserAttributes: [{ Name: 'sub', Value: 'x' }],
          }),
        )
      ).code,
    ).toBe('InvalidParameterException');
  });
});
