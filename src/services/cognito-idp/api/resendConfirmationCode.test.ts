import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('ResendConfirmationCode', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('sends a new code that replaces the old one', async () => {
    const { clientId } = await h.setup();
    await h.call('SignUp', { ClientId: clientId, Username: 'r@example.com', Password: PASSWORD });
    const old = h.code('r@example.com');
    const res = await h.call<{ CodeDeliveryDetails: { DeliveryMedium: string } }>('ResendConfirmationCode', {
      ClientId: clientId,
      Username: 'r@example.com',
    });
    expect(res.CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
    const fresh = h.code('r@example.com');
    if (fresh !== old) {
      expect(
        (
          await errorOf(
            h.call('ConfirmSignUp', { ClientId: clientId, Username: 'r@example.com', ConfirmationCode: old }),
          )
        ).code,
      ).toBe('CodeMismatchException');
    }
    await h.call('ConfirmSignUp', { ClientId: clientId, Username: 'r@example.com', ConfirmationCode: fresh });
  });

  it('refuses a confirmed user and simulates delivery for unknown users when existence errors are prevented', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'done@example.com');
    expect(
      await errorOf(h.call('ResendConfirmationCode', { ClientId: clientId, Username: 'done@example.com' })),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'User is already confirmed.',
    });
    const hidden = await h.setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    const res = await h.call<{ CodeDeliveryDetails: { DeliveryMedium: string } }>('ResendConfirmationCode', {
      ClientId: hidden.clientId,
      Username: 'ghost@example.com',
    });
    expect(res.CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
    expect(h.sent.filter((m) => m.to === 'ghost@example.com')).toHaveLength(0);
  });
});
