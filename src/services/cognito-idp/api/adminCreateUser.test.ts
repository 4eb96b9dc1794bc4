import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

type Created = {
  User: {
    Username: string;
    UserStatus: string;
    Enabled: boolean;
    Attributes: { Name: string; Value: string }[];
  };
};

describe('AdminCreateUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('creates a FORCE_CHANGE_PASSWORD user and mails the invitation with the temporary password', async () => {
    const { poolId } = await h.setup({
      pool: {
        AdminCreateUserConfig: {
          InviteMessageTemplate: {
            EmailSubject: 'Join us',
            EmailMessage: 'User {username}, password {####}',
          },
        },
      },
    });
    const res = await h.call<Created>('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'new@example.com',
      TemporaryPassword: 'Temp-Passw0rd!',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(res.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(h.sent.at(-1)).toMatchObject({
      to: 'new@example.com',
      subject: 'Join us',
      text: `User ${res.User.Username}, password Temp-Passw0rd!`,
    });
  });

  it('generates a temporary password that satisfies the policy when none is given', async () => {
    const { poolId, clientId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'gen@example.com',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    const temp = /password is (\S+)\./.exec(h.sent.at(-1)?.text ?? '')?.[1] as string;
    expect(temp).toMatch(/[A-Z]/);
    const step = await h.call<{ ChallengeName: string }>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'gen@example.com', PASSWORD: temp },
    });
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('defaults to SMS delivery, as Cognito does, and needs a matching attribute', async () => {
    const { poolId } = await h.setup();
    expect(
      await errorOf(h.call('AdminCreateUser', { UserPoolId: poolId, Username: 'sms@example.com' })),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'User has no attribute matching desired delivery mediums',
    });
  });

  it('suppresses the message and resends a new temporary password on RESEND', async () => {
    const { poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 's@example.com',
      MessageAction: 'SUPPRESS',
    });
    expect(h.sent).toHaveLength(0);
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 's@example.com',
      MessageAction: 'RESEND',
      TemporaryPassword: 'Resent-Passw0rd!',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(h.sent.at(-1)?.text).toContain('Resent-Passw0rd!');
  });

  it('does not accept a temporary password that breaks the policy', async () => {
    const { poolId } = await h.setup();
    expect(
      (
        await errorOf(
          h.call('AdminCreateUser', {
            UserPoolId: poolId,
            Username: 'w@example.com',
            TemporaryPassword: 'weak',
          }),
        )
      ).code,
    ).toBe('InvalidPasswordException');
  });

  it('writes SMS to the outbox addressed to the phone number', async () => {
    const { poolId } = await h.setup({ pool: { UsernameAttributes: undefined } });
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'phoney',
      TemporaryPassword: 'Temp-Passw0rd!',
      UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }],
    });
    expect(h.stores.idp.users.get(poolId, 'phoney')?.status).toBe('FORCE_CHANGE_PASSWORD');
  });
});
