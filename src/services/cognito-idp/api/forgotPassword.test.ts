import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('ForgotPassword', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('mails a code to the verified email in the forgot-password slot, leaving the sign-up slot alone', async () => {
    const { clientId, hash, poolId } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'f@example.com');
    const res = await h.call<{ CodeDeliveryDetails: Record<string, string> }>('ForgotPassword', {
      ClientId: clientId,
      Username: 'f@example.com',
    });
    expect(res.CodeDeliveryDetails).toEqual({
      Destination: 'f***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const user = h.stores.idp.users.bySub(poolId, sub);
    const code = h.stores.idp.codes.get(poolId, user?.ukey as string, 'forgot');
    expect(code?.expiresAt).toBe(h.clock.now() + 3600_000);
    expect(code?.codeHash).not.toContain(h.code('f@example.com'));
  });

  it('simulates delivery for unknown users only when PreventUserExistenceErrors is ENABLED', async () => {
    const legacy = await h.setup();
    expect(
      await errorOf(h.call('ForgotPassword', { ClientId: legacy.clientId, Username: 'no@example.com' })),
    ).toMatchObject({
      code: 'UserNotFoundException',
      message: 'Username/client id combination not found.',
    });
    const hidden = await h.setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    const res = await h.call<{ CodeDeliveryDetails: Record<string, string> }>('ForgotPassword', {
      ClientId: hidden.clientId,
      Username: 'no@example.com',
    });
    expect(res.CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
    expect(h.sent.some((m) => m.to === 'no@example.com')).toBe(false);
  });

  it('refuses users without a verified contact', async () => {
    const { clientId } = await h.setup();
    await h.call('SignUp', { ClientId: clientId, Username: 'u@example.com', Password: PASSWORD });
    expect(
      await errorOf(h.call('ForgotPassword', { ClientId: clientId, Username: 'u@example.com' })),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });

  it('refuses a user who still has a temporary password', async () => {
    const { clientId, poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 't@example.com',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    });
    expect(
      await errorOf(h.call('ForgotPassword', { ClientId: clientId, Username: 't@example.com' })),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'User password cannot be reset in the current state.',
    });
  });
});
