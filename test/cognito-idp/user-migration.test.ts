import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomAuthCloud, startCustomAuthCloud } from './support/customAuthCloud.js';

const LEGACY_PASSWORD = 'Legacy-Pass1';

/** Every byte the local cloud wrote to its data dir, as text. */
function dataDirText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? dataDirText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

describe('UserMigration trigger (SDK v3, a real local Lambda)', () => {
  let cloud: CustomAuthCloud;
  let clientId: string;
  const passwordAuth = (username: string, password: string, id = clientId) =>
    cloud.idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: id,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const migrations = () => cloud.events().filter((e) => String(e.triggerSource).startsWith('UserMigration_'));

  beforeAll(async () => {
    cloud = await startCustomAuthCloud();
    clientId = await cloud.client();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('migrates an unknown user at USER_PASSWORD_AUTH, signs them in, and keeps only a verifier', async () => {
    const r = await passwordAuth('legacy@example.com', LEGACY_PASSWORD);
    expect(r.AuthenticationResult?.AccessToken).toBeTruthy();
    const [event] = migrations();
    expect(event).toMatchObject({
      version: '1',
      triggerSource: 'UserMigration_Authentication',
      userPoolId: cloud.poolId,
      userName: 'legacy@example.com',
      callerContext: { clientId },
      request: { password: LEGACY_PASSWORD, validationData: null },
      response: {
        userAttributes: null,
        finalUserStatus: null,
        messageAction: null,
        desiredDeliveryMediums: null,
        forceAliasCreation: null,
      },
    });
    const user = await cloud.idp.sdk.send(
      new AdminGetUserCommand({ UserPoolId: cloud.poolId, Username: 'legacy@example.com' }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toMatchObject({
      email: 'legacy@example.com',
      email_verified: 'true',
      name: 'Legacy User',
    });
    // The next sign-in is the pool's own: the function is not called again.
    await passwordAuth('legacy@example.com', LEGACY_PASSWORD);
    expect(migrations()).toHaveLength(1);
    await expect(passwordAuth('legacy@example.com', 'Wrong-Pass1')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(dataDirText(cloud.idp.dataDir)).not.toContain(LEGACY_PASSWORD);
  });

  it('migrates at ADMIN_USER_PASSWORD_AUTH and leaves a RESET_REQUIRED user to reset their password', async () => {
    await expect(
      cloud.idp.sdk.send(
        new AdminInitiateAuthCommand({
          UserPoolId: cloud.poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'reset@example.com', PASSWORD: 'whatever-1' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'PasswordResetRequiredException',
      message: 'Password reset required for the user',
    });
    const user = await cloud.idp.sdk.send(
      new AdminGetUserCommand({ UserPoolId: cloud.poolId, Username: 'reset@example.com' }),
    );
    expect(user.UserStatus).toBe('RESET_REQUIRED');
  });

  it("maps the function's failures: a refusal, an unknown user, and PreventUserExistenceErrors", async () => {
    await expect(passwordAuth('legacy2@example.com', 'nope')).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'UserMigration failed with error Bad password.',
    });
    await expect(passwordAuth('gone@example.com', 'nope')).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    const hidden = await cloud.client({ PreventUserExistenceErrors: 'ENABLED' });
    await expect(passwordAuth('gone@example.com', 'nope', hidden)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(passwordAuth('broken@example.com', 'nope')).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'UserMigration failed with error legacy directory unreachable.',
    });
  });

  it('does not call the function for SRP sign-in, which never sends the password', async () => {
    const before = migrations().length;
    await expect(
      cloud.idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: 'srp-legacy@example.com', SRP_A: 'abc123' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(migrations()).toHaveLength(before);
  });

  it('migrates at ForgotPassword (no password), sends the code, and the reset password signs in', async () => {
    const r = await cloud.idp.sdk.send(
      new ForgotPasswordCommand({
        ClientId: clientId,
        Username: 'forgot@example.com',
        ClientMetadata: { app: 'web' },
      }),
    );
    expect(r.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const event = migrations().at(-1);
    expect(event).toMatchObject({
      triggerSource: 'UserMigration_ForgotPassword',
      userName: 'forgot@example.com',
      request: { validationData: null, clientMetadata: { app: 'web' } },
    });
    expect(event?.request).not.toHaveProperty('password');
    const user = await cloud.idp.sdk.send(
      new AdminGetUserCommand({ UserPoolId: cloud.poolId, Username: 'forgot@example.com' }),
    );
    expect(user.UserStatus).toBe('RESET_REQUIRED');
    await cloud.idp.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: 'forgot@example.com',
        ConfirmationCode: await cloud.idp.latestCode('forgot@example.com'),
        Password: 'Brand-New-Pass1',
      }),
    );
    expect((await passwordAuth('forgot@example.com', 'Brand-New-Pass1')).AuthenticationResult).toBeTruthy();
  });

  it("answers ForgotPassword for a user the function doesn't know, or can't look up, as Cognito does", async () => {
    await expect(
      cloud.idp.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'gone@example.com' })),
    ).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'Username/client id combination not found.',
    });
    await expect(
      cloud.idp.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'broken@example.com' })),
    ).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'UserMigration failed with error legacy directory unreachable.',
    });
  });
});
