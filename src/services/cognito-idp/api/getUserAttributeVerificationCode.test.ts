import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('GetUserAttributeVerificationCode', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('mails a 24-hour code for the email attribute', async () => {
    const { clientId, hash, poolId } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'v@example.com');
    const { AccessToken } = await h.signIn(clientId, 'v@example.com');
    const res = await h.call<{ CodeDeliveryDetails: { AttributeName: string } }>(
      'GetUserAttributeVerificationCode',
      { AccessToken, AttributeName: 'email' },
    );
    expect(res.CodeDeliveryDetails.AttributeName).toBe('email');
    const ukey = h.stores.idp.users.bySub(poolId, sub)?.ukey as string;
    expect(h.stores.idp.codes.get(poolId, ukey, 'attr:email')?.expiresAt).toBe(h.clock.now() + 24 * 3600_000);
  });

  it('refuses attributes that cannot be verified or that the user lacks', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'n@example.com');
    const { AccessToken } = await h.signIn(clientId, 'n@example.com');
    expect(
      (await errorOf(h.call('GetUserAttributeVerificationCode', { AccessToken, AttributeName: 'name' })))
        .code,
    ).toBe('InvalidParameterException');
    expect(
      (
        await errorOf(
          h.call('GetUserAttributeVerificationCode', { AccessToken, AttributeName: 'phone_number' }),
        )
      ).code,
    ).toBe('InvalidParameterException');
  });
});
