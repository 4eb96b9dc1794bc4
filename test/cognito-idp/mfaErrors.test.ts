import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

const PASSWORD = 'Mfa-Errors-Passw0rd!';

/** Each MFA and refresh operation's errors as the AWS SDK v3 sees them: the `__type` as the name, and the message. */
describe('MFA and refresh errors through the SDK', () => {
  let idp: TestIdp;
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 9));
  let poolId: string;
  let clientId: string;

  const rejects = (p: Promise<unknown>, name: string, message: string | RegExp) =>
    expect(p).rejects.toMatchObject({ name, message: expect.stringMatching(message) });

  const user = async (name: string, phone?: string) => {
    await idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: name,
        MessageAction: 'SUPPRESS',
        UserAttributes: phone ? [{ Name: 'phone_number', Value: phone }] : [],
      }),
    );
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: name,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  };
  const signIn = (name: string) =>
    idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: name, PASSWORD },
      }),
    );

  beforeAll(async () => {
    idp = await startTestIdp({ clock });
    poolId = (await idp.sdk.send(new CreateUserPoolCommand({ PoolName: 'mfa-errors' }))).UserPool
      ?.Id as string;
    clientId = (
      await idp.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'c',
          ExplicitAuthFlows: [
            'ALLOW_USER_PASSWORD_AUTH',
            'ALLOW_ADMIN_USER_PASSWORD_AUTH',
            'ALLOW_REFRESH_TOKEN_AUTH',
          ],
        }),
      )
    ).UserPoolClient?.ClientId as string;
  });
  afterAll(async () => {
    await idp?.stop();
  });

  it('refuses MFA ON without a factor, and TOTP in a pool that does not offer it', async () => {
    await rejects(
      idp.sdk.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'ON',
          SoftwareTokenMfaConfiguration: { Enabled: false },
        }),
      ),
      'InvalidParameterException',
      /At least one MFA factor/,
    );
    await user('plain');
    const t = (await signIn('plain')).AuthenticationResult?.AccessToken as string;
    await rejects(
      idp.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: t })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA is not enabled for this user pool.',
    );
    await rejects(
      idp.sdk.send(new AssociateSoftwareTokenCommand({})),
      'InvalidParameterException',
      'Either AccessToken or Session must be provided.',
    );
  });

  it('answers wrong TOTP codes, unverified preferences and bad sessions with Cognito errors', async () => {
    await idp.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: {},
      }),
    );
    await user('totp');
    const t = (await signIn('totp')).AuthenticationResult?.AccessToken as string;
    await rejects(
      idp.sdk.send(
        new SetUserMFAPreferenceCommand({ AccessToken: t, SoftwareTokenMfaSettings: { Enabled: true } }),
      ),
      'InvalidParameterException',
      'User has not verified software token mfa',
    );
    await rejects(
      idp.sdk.send(new VerifySoftwareTokenCommand({ AccessToken: t, UserCode: '123456' })),
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA has not been associated with the user.',
    );
    const { SecretCode } = await idp.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: t }));
    await rejects(
      idp.sdk.send(new VerifySoftwareTokenCommand({ AccessToken: t, UserCode: '000000' })),
      'EnableSoftwareTokenMFAException',
      'Code mismatch and fail enable Software Token MFA mfa',
    );
    const totp = new TOTP({ secret: Secret.fromBase32(SecretCode as string) });
    expect(
      await idp.sdk.send(
        new VerifySoftwareTokenCommand({
          AccessToken: t,
          UserCode: totp.generate({ timestamp: clock.now() }),
        }),
      ),
    ).toMatchObject({ Status: 'SUCCESS' });
    await idp.sdk.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: t,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    expect(await idp.sdk.send(new GetUserCommand({ AccessToken: t }))).toMatchObject({
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });
    // Admin sign-in and answer: AdminRespondToAuthChallenge.
    const step = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'totp', PASSWORD },
      }),
    );
    expect(step.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await rejects(
      idp.sdk.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'SMS_MFA',
          Session: step.Session,
          ChallengeResponses: { USERNAME: 'totp', SMS_MFA_CODE: '123456' },
        }),
      ),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('drops an SMS challenge after five wrong codes', async () => {
    await user('sms', '+15555550142');
    await idp.sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: 'sms',
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const step = await signIn('sms');
    expect(step).toMatchObject({
      ChallengeName: 'SMS_MFA',
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0142',
      },
    });
    const code = await idp.latestCode('+15555550142');
    const answer = (c: string) =>
      idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SMS_MFA',
          Session: step.Session,
          ChallengeResponses: { USERNAME: 'sms', SMS_MFA_CODE: c },
        }),
      );
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      await rejects(answer(wrong), 'CodeMismatchException', 'Invalid code received for user');
    await rejects(
      answer(code),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it('refuses refresh tokens that are garbled or expired, and unknown clients', async () => {
    const t = (await signIn('plain')).AuthenticationResult?.RefreshToken as string;
    await rejects(
      idp.sdk.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: 'x'.repeat(40) }),
      ),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
    clock.advance(31 * 86400_000);
    await rejects(
      idp.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: t })),
      'NotAuthorizedException',
      'Refresh Token has expired',
    );
    await rejects(
      idp.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: 'nosuchclient', RefreshToken: t })),
      'ResourceNotFoundException',
      /./,
    );
  });
});
