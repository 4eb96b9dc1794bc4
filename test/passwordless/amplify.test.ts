import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  autoSignIn,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from '../amplify/harness.js';
import { createUser, latestSignInCode, PASSWORD } from './helpers.js';

/** Amplify v6 (Node) drives choice-based and passwordless sign-in and autoSignIn against the local cloud. */
describe('Amplify v6: passwordless and choice-based sign-in', () => {
  let cloud: AmplifyCloud;
  let inbox: string;

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    inbox = cloud.idp.urls.inboxUrl;
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'amplify-passwordless',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
      }),
    );
    const poolId = pool.UserPool?.Id as string;
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await createUser(cloud.sdk, poolId, 'ann@example.com', {
      email: 'ann@example.com',
      phone: '+15550100002',
    });
    cloud.configure(poolId, client.UserPoolClient?.ClientId as string);
  });
  afterEach(async () => {
    await signOut().catch(() => undefined);
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const signedInAs = async (email: string) => {
    const session = await fetchAuthSession();
    expect(session.tokens?.idToken?.payload.email).toBe(email);
    expect((await getCurrentUser()).signInDetails?.authFlowType).toBe('USER_AUTH');
  };

  it('EMAIL_OTP: CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the 8-digit code from the mail', async () => {
    const out = await signIn({
      username: 'ann@example.com',
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' },
    });
    expect(out.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const code = await latestSignInCode(inbox, 'ann@example.com');
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
    await signedInAs('ann@example.com');
  });

  it('SMS_OTP: CONFIRM_SIGN_IN_WITH_SMS_CODE with the code sent to the phone number; a wrong code first', async () => {
    const out = await signIn({
      username: 'ann@example.com',
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'SMS_OTP' },
    });
    expect(out.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
    const code = await latestSignInCode(inbox, '+15550100002');
    await expect(
      confirmSignIn({ challengeResponse: code === '12345678' ? '87654321' : '12345678' }),
    ).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
    await signedInAs('ann@example.com');
  });

  it('choice-based: CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION, then EMAIL_OTP', async () => {
    const out = await signIn({ username: 'ann@example.com', options: { authFlowType: 'USER_AUTH' } });
    expect(out.nextStep).toMatchObject({
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'],
    });
    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await latestSignInCode(inbox, 'ann@example.com') });
    expect(done.isSignedIn).toBe(true);
  });

  it('choice-based: PASSWORD_SRP chosen, then the password (SRP through USER_AUTH)', async () => {
    await signIn({ username: 'ann@example.com', options: { authFlowType: 'USER_AUTH' } });
    const chosen = await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    const done = await confirmSignIn({ challengeResponse: PASSWORD });
    expect(done.isSignedIn).toBe(true);
    await signedInAs('ann@example.com');
  });

  it('preferred PASSWORD with the password signs in at once', async () => {
    const done = await signIn({
      username: 'ann@example.com',
      password: PASSWORD,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' },
    });
    expect(done.isSignedIn).toBe(true);
  });

  it('autoSignIn: signUp, confirmSignUp (its Session), autoSignIn without a factor', async () => {
    const up = await signUp({
      username: 'newbie@example.com',
      password: PASSWORD,
      options: { userAttributes: { email: 'newbie@example.com' }, autoSignIn: { authFlowType: 'USER_AUTH' } },
    });
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const res = await fetch(`${inbox}?to=newbie%40example.com`);
    const [mail] = (await res.json()) as { text: string }[];
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] as string;
    const confirmed = await confirmSignUp({ username: 'newbie@example.com', confirmationCode: code });
    expect(confirmed.nextStep.signUpStep).toBe('COMPLETE_AUTO_SIGN_IN');
    const done = await autoSignIn();
    expect(done.isSignedIn).toBe(true);
    await signedInAs('newbie@example.com');
  });
});
