import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchUserAttributes, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomAuthCloud, startCustomAuthCloud } from '../cognito-idp/support/customAuthCloud.js';
import { MapStorage } from './harness.js';

const EMAIL = 'custom@example.com';
const PASSWORD = 'Amplify-Passw0rd!';

/** An Amplify v6 app signing in through custom challenges run by real DefineAuthChallenge/Create/Verify Lambdas. */
describe('Amplify v6 custom authentication', () => {
  let cloud: CustomAuthCloud;

  beforeAll(async () => {
    cloud = await startCustomAuthCloud();
    const clientId = await cloud.client();
    Amplify.configure({
      Auth: {
        Cognito: { userPoolId: cloud.poolId, userPoolClientId: clientId, userPoolEndpoint: cloud.idp.url },
      },
    });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new MapStorage());
    await cloud.idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cloud.poolId,
        Username: EMAIL,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: EMAIL }],
      }),
    );
    await cloud.idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: cloud.poolId,
        Username: EMAIL,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('signs in with CUSTOM_WITH_SRP: the password by SRP first, then the questions, a wrong answer retried', async () => {
    const before = cloud.events().length;
    const first = await signIn({
      username: EMAIL,
      password: PASSWORD,
      options: { authFlowType: 'CUSTOM_WITH_SRP' },
    });
    expect(first.isSignedIn).toBe(false);
    expect(first.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
      additionalInfo: { question: 'What is 2 + 2?' },
    });
    const retry = await confirmSignIn({ challengeResponse: '22' });
    expect(retry.nextStep).toMatchObject({ additionalInfo: { question: 'What is 2 + 2?' } });
    const q2 = await confirmSignIn({ challengeResponse: '4' });
    expect(q2.nextStep).toMatchObject({ additionalInfo: { question: 'Capital of France?' } });
    const done = await confirmSignIn({ challengeResponse: 'Paris' });
    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect((await fetchUserAttributes()).email).toBe(EMAIL);
    expect((await fetchAuthSession()).tokens?.accessToken).toBeTruthy();

    const defines = cloud
      .events()
      .slice(before)
      .filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication');
    expect((defines[0]?.request as { session?: unknown } | undefined)?.session).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
    ]);
    expect((defines[1]?.request as { session?: unknown } | undefined)?.session).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
    ]);
    await signOut();
  });

  it('refuses a wrong password in CUSTOM_WITH_SRP before any custom challenge', async () => {
    await expect(
      signIn({ username: EMAIL, password: 'Wrong-Passw0rd!', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('asks for the SMS MFA code after the password in CUSTOM_WITH_SRP, then goes on with the questions', async () => {
    const phone = '+15555550142';
    await cloud.idp.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: cloud.poolId,
        MfaConfiguration: 'OPTIONAL',
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}' },
      }),
    );
    await cloud.idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: cloud.poolId,
        Username: 'mfa@example.com',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'mfa@example.com' },
          { Name: 'phone_number', Value: phone },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
    );
    await cloud.idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: cloud.poolId,
        Username: 'mfa@example.com',
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await cloud.idp.sdk.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: cloud.poolId,
        Username: 'mfa@example.com',
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const before = cloud.events().length;
    const first = await signIn({
      username: 'mfa@example.com',
      password: PASSWORD,
      options: { authFlowType: 'CUSTOM_WITH_SRP' },
    });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const q1 = await confirmSignIn({ challengeResponse: await cloud.idp.latestCode(phone) });
    expect(q1.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
      additionalInfo: { question: 'What is 2 + 2?' },
    });
    await confirmSignIn({ challengeResponse: '4' });
    expect((await confirmSignIn({ challengeResponse: 'paris' })).isSignedIn).toBe(true);
    const defines = cloud
      .events()
      .slice(before)
      .filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication');
    expect((defines[1]?.request as { session?: unknown } | undefined)?.session).toEqual([
      { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
      { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
      { challengeName: 'SMS_MFA', challengeResult: true, challengeMetadata: null },
    ]);
    await signOut();
  });

  it('signs in with CUSTOM_WITHOUT_SRP: the challenges alone', async () => {
    const first = await signIn({ username: EMAIL, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    await confirmSignIn({ challengeResponse: '4' });
    const done = await confirmSignIn({ challengeResponse: 'paris' });
    expect(done.isSignedIn).toBe(true);
    const session = await fetchAuthSession();
    expect(session.tokens?.idToken?.payload.email).toBe(EMAIL);
    await signOut();
  });
});
