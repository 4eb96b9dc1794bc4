import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('AdminRespondToAuthChallenge', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('answers NEW_PASSWORD_REQUIRED from an admin sign-in and confirms the user', async () => {
    const { clientId, poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'n@example.com',
      TemporaryPassword: 'Temp-Passw0rd!',
      MessageAction: 'SUPPRESS',
    });
    const step = await h.call<{ Session: string }>('AdminInitiateAuth', {
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'n@example.com', PASSWORD: 'Temp-Passw0rd!' },
    });
    await h.call('AdminRespondToAuthChallenge', {
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: step.Session,
      ChallengeResponses: { USERNAME: 'n@example.com', NEW_PASSWORD: PASSWORD },
    });
    const user = await h.call<{ UserStatus: string }>('AdminGetUser', {
      UserPoolId: poolId,
      Username: 'n@example.com',
    });
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('refuses an unsupported challenge name', async () => {
    const { clientId, poolId } = await h.setup();
    expect(
      (
        await errorOf(
          h.call('AdminRespondToAuthChallenge', {
            UserPoolId: poolId,
            ClientId: clientId,
            ChallengeName: 'SMS_MFA',
            ChallengeResponses: {},
          }),
        )
      ).code,
    ).toBe('InvalidParameterException');
  });
});
