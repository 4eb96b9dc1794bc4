import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

const PASSWORD = 'Srp-Passw0rd!';

/** CognitoUser.authenticateUser as a promise; `newPassword` answers NEW_PASSWORD_REQUIRED. */
function authenticate(
  user: CognitoUser,
  username: string,
  password: string,
  newPassword?: string,
): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => {
        if (!newPassword) return reject(new Error('unexpected NEW_PASSWORD_REQUIRED'));
        user.completeNewPasswordChallenge(newPassword, {}, { onSuccess: resolve, onFailure: reject });
      },
    });
  });
}

describe('SRP sign-in with amazon-cognito-identity-js', () => {
  let idp: TestIdp;
  let userPool: CognitoUserPool;
  let strictPool: CognitoUserPool;
  let poolId: string;

  beforeAll(async () => {
    idp = await startTestIdp();
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'srp',
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    // The library cannot send SECRET_HASH, so these clients have no secret.
    const legacy = await idp.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'spa' }),
    );
    const strict = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'spa-strict',
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    userPool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: legacy.UserPoolClient?.ClientId as string,
      endpoint: `${idp.url}/`,
    });
    strictPool = new CognitoUserPool({
      UserPoolId: poolId,
      ClientId: strict.UserPoolClient?.ClientId as string,
      endpoint: `${idp.url}/`,
    });
  });
  afterAll(async () => idp.stop());

  it('signs up, confirms and signs in with SRP, then refreshes and reads attributes', async () => {
    await new Promise<void>((resolve, reject) =>
      userPool.signUp(
        'Alice',
        PASSWORD,
        [new CognitoUserAttribute({ Name: 'email', Value: 'alice@example.com' })],
        [],
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    const code = await idp.latestCode('alice@example.com');
    const user = new CognitoUser({ Username: 'alice', Pool: userPool });
    await new Promise<void>((resolve, reject) =>
      user.confirmRegistration(code, false, (err) => (err ? reject(err) : resolve())),
    );
    const session = await authenticate(user, 'alice', PASSWORD);
    expect(session.isValid()).toBe(true);
    const id = decodeJwt(session.getIdToken().getJwtToken());
    expect(id['cognito:username']).toBe('Alice');
    expect(id.email).toBe('alice@example.com');
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) =>
        err ? reject(err) : resolve(s),
      ),
    );
    expect(decodeJwt(refreshed.getAccessToken().getJwtToken()).origin_jti).toBe(
      decodeJwt(session.getAccessToken().getJwtToken()).origin_jti,
    );
    const attrs = await new Promise<CognitoUserAttribute[]>((resolve, reject) =>
      user.getUserAttributes((err, a) => (err || !a ? reject(err) : resolve(a))),
    );
    expect(attrs.find((a) => a.getName() === 'email_verified')?.getValue()).toBe('true');
  });

  it('refuses a wrong password with NotAuthorizedException', async () => {
    const user = new CognitoUser({ Username: 'alice', Pool: userPool });
    await expect(authenticate(user, 'alice', 'Wr0ng-Passw0rd!')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('tells unknown users apart only when PreventUserExistenceErrors is LEGACY', async () => {
    await expect(
      authenticate(new CognitoUser({ Username: 'nobody', Pool: userPool }), 'nobody', PASSWORD),
    ).rejects.toMatchObject({
      code: 'UserNotFoundException',
    });
    // ENABLED: a simulated challenge, then the same error as a wrong password.
    await expect(
      authenticate(new CognitoUser({ Username: 'nobody', Pool: strictPool }), 'nobody', PASSWORD),
    ).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('completes NEW_PASSWORD_REQUIRED after an admin-created account', async () => {
    await idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'bob',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
      }),
    );
    const user = new CognitoUser({ Username: 'bob', Pool: userPool });
    const session = await authenticate(user, 'bob', 'Temp-Passw0rd!', 'Final-Passw0rd!');
    expect(session.isValid()).toBe(true);
    const again = await authenticate(
      new CognitoUser({ Username: 'BOB', Pool: userPool }),
      'BOB',
      'Final-Passw0rd!',
    );
    expect(decodeJwt(again.getAccessToken().getJwtToken()).username).toBe('bob');
  });

  it('signs in by email when email is the username, signing with the internal USER_ID_FOR_SRP', async () => {
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'srp-email',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
    );
    const id = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'spa' }));
    const emailPool = new CognitoUserPool({
      UserPoolId: id,
      ClientId: client.UserPoolClient?.ClientId as string,
      endpoint: `${idp.url}/`,
    });
    const sub = await new Promise<string>((resolve, reject) =>
      emailPool.signUp('erin@example.com', PASSWORD, [], [], (err, res) =>
        err || !res ? reject(err) : resolve(res.userSub),
      ),
    );
    const user = new CognitoUser({ Username: 'erin@example.com', Pool: emailPool });
    const code = await idp.latestCode('erin@example.com');
    await new Promise<void>((resolve, reject) =>
      user.confirmRegistration(code, false, (err) => (err ? reject(err) : resolve())),
    );
    const session = await authenticate(user, 'erin@example.com', PASSWORD);
    expect(decodeJwt(session.getIdToken().getJwtToken())).toMatchObject({
      sub,
      'cognito:username': sub,
      email: 'erin@example.com',
    });
  });
});
