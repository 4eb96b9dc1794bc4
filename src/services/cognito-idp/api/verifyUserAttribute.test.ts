import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('VerifyUserAttribute', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('marks the attribute verified with the right code, and the code expires after 24 hours', async () => {
    const { clientId, hash, poolId } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'v@example.com');
    const { AccessToken } = await h.signIn(clientId, 'v@example.com');
    await h.call('UpdateUserAttributes', {
      AccessToken,
      UserAttributes: [{ Name: 'email', Value: 'v2@example.com' }],
    });
    const code = h.code('v2@example.com');
    h.clock.advance(24 * 3600_000 + 1);
    expect(
      await errorOf(
        h.call('VerifyUserAttribute', {
          AccessToken: (await h.signIn(clientId, 'v2@example.com')).AccessToken,
          AttributeName: 'email',
          Code: code,
        }),
      ),
    ).toMatchObject({ code: 'ExpiredCodeException' });
    const fresh = (await h.signIn(clientId, 'v2@example.com')).AccessToken;
    await h.call('GetUserAttributeVerificationCode', { AccessToken: fresh, AttributeName: 'email' });
    await h.call('VerifyUserAttribute', {
      AccessToken: fresh,
      AttributeName: 'email',
      Code: h.code('v2@example.com'),
    });
    expect(h.stores.idp.users.bySub(poolId, sub)?.attributes.email_verified).toBe('true');
  });

  it('keeps attribute and forgot-password codes in separate slots, both valid at once', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 's@example.com');
    const { AccessToken } = await h.signIn(clientId, 's@example.com');
    await h.call('GetUserAttributeVerificationCode', { AccessToken, AttributeName: 'email' });
    const attributeCode = h.code('s@example.com');
    await h.call('ForgotPassword', { ClientId: clientId, Username: 's@example.com' });
    const forgotCode = h.code('s@example.com');
    await h.call('VerifyUserAttribute', { AccessToken, AttributeName: 'email', Code: attributeCode });
    await h.call('ConfirmForgotPassword', {
      ClientId: clientId,
      Username: 's@example.com',
      ConfirmationCode: forgotCode,
      Password: 'Sl0t-Passw0rd!',
    });
    expect((await h.signIn(clientId, 's@example.com', 'Sl0t-Passw0rd!')).AccessToken).toBeTruthy();
  });
});
