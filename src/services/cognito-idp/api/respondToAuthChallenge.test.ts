import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('RespondToAuthChallenge', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  async function forced() {
    const { clientId, poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'f@example.com',
      TemporaryPassword: 'Temp-Passw0rd!',
      MessageAction: 'SUPPRESS',
    });
    const step = await h.call<{
      ChallengeName: string;
      Session: string;
      ChallengeParameters: Record<string, string>;
    }>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'f@example.com', PASSWORD: 'Temp-Passw0rd!' },
    });
    return { clientId, poolId, step };
  }

  it('completes NEW_PASSWORD_REQUIRED with a policy-conforming password', async () => {
    const { clientId, step } = await forced();
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(step.ChallengeParameters.userAttributes as string)).toMatchObject({
      email: 'f@example.com',
    });
    const weak = await errorOf(
      h.call('RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: step.Session,
        ChallengeResponses: { USERNAME: 'f@example.com', NEW_PASSWORD: 'weak' },
      }),
    );
    expect(weak).toMatchObject({
      code: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const done = await h.call<{ AuthenticationResult: { IdToken: string } }>('RespondToAuthChallenge', {
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: step.Session,
      ChallengeResponses: { USERNAME: 'f@example.com', NEW_PASSWORD: PASSWORD },
    });
    expect(done.AuthenticationResult.IdToken).toBeTruthy();
  });

  it('refuses a reused or expired session', async () => {
    const { clientId, step } = await forced();
    await h.call('RespondToAuthChallenge', {
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: step.Session,
      ChallengeResponses: { USERNAME: 'f@example.com', NEW_PASSWORD: PASSWORD },
    });
    const again = await errorOf(
      h.call('RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: step.Session,
        ChallengeResponses: { USERNAME: 'f@example.com', NEW_PASSWORD: PASSWORD },
      }),
    );
    expect(again).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('lets a temporary password expire after the policy validity', async () => {
    const { clientId } = await forced();
    h.clock.advance(8 * 86400_000);
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'f@example.com', PASSWORD: 'Temp-Passw0rd!' },
        }),
      ),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Temporary password has expired and must be reset by an administrator.',
    });
  });

  it('refuses a PASSWORD_VERIFIER answer to a secret block it never issued', async () => {
    const { clientId } = await h.setup();
    expect(
      await errorOf(
        h.call('RespondToAuthChallenge', {
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: 'x',
            PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA',
            PASSWORD_CLAIM_SIGNATURE: 'AAAA',
            TIMESTAMP: 'x',
          },
        }),
      ),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });
});
