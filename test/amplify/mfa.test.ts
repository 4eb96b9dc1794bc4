import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from './harness.js';

const PASSWORD = 'Amplify-Passw0rd!';

/** Amplify v6 MFA flows against the local cloud; TOTP codes come from otpauth, an independent implementation. */
describe('Amplify v6 session: MFA', () => {
  let cloud: AmplifyCloud;
  let poolId: string;
  let clientId: string;

  /** A TOTP code for the cloud's current time, a step after the last one used (no code is accepted twice). */
  const totpCode = async (secret: string) => {
    await cloud.advance(30);
    const res = await fetch(`${cloud.idp.url}/_gatehouse/clock`);
    const { now } = (await res.json()) as { now: string };
    return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.parse(now) });
  };

  const createUser = async (pool: string, email: string, phone?: string) => {
    await cloud.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          ...(phone
            ? [
                { Name: 'phone_number', Value: phone },
                { Name: 'phone_number_verified', Value: 'true' },
              ]
            : []),
        ],
      }),
    );
    await cloud.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: email,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  };

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({ PoolName: 'mfa', UsernameAttributes: ['email'] }),
    );
    poolId = pool.UserPool?.Id as string;
    const set = await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}' },
        EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
      }),
    );
    expect(set).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    const got = await cloud.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(got).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}' },
      EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' },
    });
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
  });
  afterEach(async () => {
    await signOut();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sets up TOTP, then signs in with a TOTP code; wrong and replayed codes are refused', async () => {
    cloud.configure(poolId, clientId);
    await createUser(poolId, 'totp@example.com');
    expect((await signIn({ username: 'totp@example.com', password: PASSWORD })).isSignedIn).toBe(true);
    const { sharedSecret, getSetupUri } = await setUpTOTP();
    expect(getSetupUri('Gatehouse').toString()).toMatch(/^otpauth:\/\/totp\//);
    await expect(verifyTOTPSetup({ code: '000000' })).rejects.toMatchObject({
      name: 'EnableSoftwareTokenMFAException',
    });
    await verifyTOTPSetup({ code: await totpCode(sharedSecret) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    const admin = await cloud.sdk.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'totp@example.com' }),
    );
    expect(admin).toMatchObject({
      UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });
    await signOut();

    const step = await signIn({ username: 'totp@example.com', password: PASSWORD });
    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await expect(confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    const code = await totpCode(sharedSecret);
    expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
    await signOut();

    // The same code again, in its own time step, on a new sign-in: refused, no code counts twice.
    await signIn({ username: 'totp@example.com', password: PASSWORD });
    await expect(confirmSignIn({ challengeResponse: code })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
  });

  it('signs in with an SMS code read from the outbox by phone number', async () => {
    cloud.configure(poolId, clientId);
    await createUser(poolId, 'sms@example.com', '+15555550123');
    await signIn({ username: 'sms@example.com', password: PASSWORD });
    await updateMFAPreference({ sms: 'PREFERRED' });
    await signOut();
    const step = await signIn({ username: 'sms@example.com', password: PASSWORD });
    expect(step.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
      codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0123' },
    });
    const code = await cloud.latestCode('+15555550123');
    expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
  });

  it('signs in with an EMAIL_OTP code', async () => {
    cloud.configure(poolId, clientId);
    await createUser(poolId, 'otp@example.com');
    await signIn({ username: 'otp@example.com', password: PASSWORD });
    await updateMFAPreference({ email: 'PREFERRED' });
    await signOut();
    const step = await signIn({ username: 'otp@example.com', password: PASSWORD });
    expect(step.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL' },
    });
    const code = await cloud.latestCode('otp@example.com');
    expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
  });

  it('lets a user with two factors and no preference choose one (SELECT_MFA_TYPE)', async () => {
    cloud.configure(poolId, clientId);
    await createUser(poolId, 'both@example.com', '+15555550199');
    await signIn({ username: 'both@example.com', password: PASSWORD });
    await updateMFAPreference({ sms: 'ENABLED', email: 'ENABLED' });
    await signOut();
    const step = await signIn({ username: 'both@example.com', password: PASSWORD });
    expect(step.nextStep).toMatchObject({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
      allowedMFATypes: ['SMS', 'EMAIL'],
    });
    const chosen = await confirmSignIn({ challengeResponse: 'SMS' });
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const code = await cloud.latestCode('+15555550199');
    expect((await confirmSignIn({ challengeResponse: code })).isSignedIn).toBe(true);
  });

  it('ends a challenge session after 3 minutes', async () => {
    cloud.configure(poolId, clientId);
    await createUser(poolId, 'slow@example.com', '+15555550111');
    await signIn({ username: 'slow@example.com', password: PASSWORD });
    await updateMFAPreference({ sms: 'PREFERRED' });
    await signOut();
    await signIn({ username: 'slow@example.com', password: PASSWORD });
    const code = await cloud.latestCode('+15555550111');
    await cloud.advance(181);
    await expect(confirmSignIn({ challengeResponse: code })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('makes a user of a pool with MFA ON set up TOTP during sign-in (MFA_SETUP)', async () => {
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({ PoolName: 'mfa-on', UsernameAttributes: ['email'] }),
    );
    const onPoolId = pool.UserPool?.Id as string;
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: onPoolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: onPoolId, ClientName: 'web' }),
    );
    cloud.configure(onPoolId, client.UserPoolClient?.ClientId as string);
    await createUser(onPoolId, 'setup@example.com');
    const step = await signIn({ username: 'setup@example.com', password: PASSWORD });
    expect(step.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = (step.nextStep as { totpSetupDetails: { sharedSecret: string } }).totpSetupDetails
      .sharedSecret;
    expect((await confirmSignIn({ challengeResponse: await totpCode(secret) })).isSignedIn).toBe(true);
    await signOut();
    const again = await signIn({ username: 'setup@example.com', password: PASSWORD });
    expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect((await confirmSignIn({ challengeResponse: await totpCode(secret) })).isSignedIn).toBe(true);
  });
});
