import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import type { TestIdp } from '../helpers/idp.js';
import {
  type LifecyclePool,
  lifecycleHelpers,
  PASSWORD,
  rejects,
  startLifecyclePool,
} from './support/lifecycle.js';

describe('the user pool life cycle through the AWS SDK v3: attributes, passwords and codes', () => {
  const clock = new FakeClock(Date.now());
  /** Codes the pool mails next, in order; once empty, random codes from node:crypto as in production. */
  const nextCodes: string[] = [];
  let pool: LifecyclePool;
  let idp: TestIdp;
  let clientId: string;

  beforeAll(async () => {
    pool = await startLifecyclePool(clock, nextCodes);
    ({ idp, clientId } = pool);
  });
  afterAll(async () => idp.stop());

  const { hash, signIn, confirmedUser } = lifecycleHelpers(() => pool);

  it('updates and verifies attributes with a code, and changes the password', async () => {
    const email = 'linus@example.com';
    await confirmedUser(email);
    let token = (await signIn(email)).AuthenticationResult?.AccessToken as string;
    const upd = await idp.sdk.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [
          { Name: 'name', Value: 'Linus' },
          { Name: 'email', Value: 'linus2@example.com' },
        ],
      }),
    );
    expect(upd.CodeDeliveryDetailsList?.[0]?.Destination).toBe('l***@e***');
    let user = await idp.sdk.send(new GetUserCommand({ AccessToken: token }));
    const attr = (n: string) => user.UserAttributes?.find((a) => a.Name === n)?.Value;
    expect(attr('name')).toBe('Linus');
    expect(attr('email')).toBe('linus2@example.com');
    expect(attr('email_verified')).toBe('false');
    await rejects(
      idp.sdk.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: '12345x' }),
      ),
      'CodeMismatchException',
      'Invalid verification code provided, please try again.',
    );
    await idp.sdk.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }),
    );
    const code = await idp.latestCode('linus2@example.com');
    await idp.sdk.send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'email', Code: code }),
    );
    user = await idp.sdk.send(new GetUserCommand({ AccessToken: token }));
    expect(attr('email_verified')).toBe('true');
    await rejects(
      idp.sdk.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: 'Wr0ng-pass!',
          ProposedPassword: 'N3w-Password!',
        }),
      ),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    await rejects(
      idp.sdk.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: PASSWORD,
          ProposedPassword: 'weak',
        }),
      ),
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    await idp.sdk.send(
      new ChangePasswordCommand({
        AccessToken: token,
        PreviousPassword: PASSWORD,
        ProposedPassword: 'N3w-Password!',
      }),
    );
    await rejects(signIn('linus2@example.com'), 'NotAuthorizedException', 'Incorrect username or password.');
    token = (await signIn('linus2@example.com', 'N3w-Password!')).AuthenticationResult?.AccessToken as string;
    expect(token).toBeTruthy();
  });

  it('resends sign-up codes, and resets a forgotten password with a single-use code that expires after 1 hour', async () => {
    const email = 'margaret@example.com';
    // Known codes (the pool's own IdSource), so the replaced code is never by chance the new one.
    nextCodes.push('246810', '135791');
    await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    const signupCode = await idp.latestCode(email);
    expect(signupCode).toBe('246810');
    await rejects(
      idp.sdk.send(
        new ForgotPasswordCommand({ ClientId: clientId, Username: email, SecretHash: hash(email) }),
      ),
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    await idp.sdk.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email, SecretHash: hash(email) }),
    );
    const resent = await idp.latestCode(email);
    expect(resent).toBe('135791');
    // The resend replaced the old sign-up code.
    await rejects(
      idp.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: signupCode,
          SecretHash: hash(email),
        }),
      ),
      'CodeMismatchException',
      'Invalid verification code provided, please try again.',
    );
    await idp.sdk.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: resent,
        SecretHash: hash(email),
      }),
    );
    const fp = await idp.sdk.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: email, SecretHash: hash(email) }),
    );
    expect(fp.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    const code = await idp.latestCode(email);
    clock.advance(3600_000 + 1000);
    await rejects(
      idp.sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: code,
          Password: 'N3w-Password!',
          SecretHash: hash(email),
        }),
      ),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
    await idp.sdk.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: email, SecretHash: hash(email) }),
    );
    const fresh = await idp.latestCode(email);
    await idp.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: fresh,
        Password: 'N3w-Password!',
        SecretHash: hash(email),
      }),
    );
    await rejects(
      idp.sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: fresh,
          Password: 'Other-P4ssword!',
          SecretHash: hash(email),
        }),
      ),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
    expect((await signIn(email, 'N3w-Password!')).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
