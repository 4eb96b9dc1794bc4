import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
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
import { FakeClock } from '../../src/shared/clock.js';
import { secretHash, startTestIdp, type TestIdp } from '../helpers/idp.js';
import { SrpClient } from '../helpers/srpClient.js';

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
      message: 'User does not exist.',
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

describe('SRP sign-in through an app client with a secret', () => {
  let idp: TestIdp;
  const clock = new FakeClock(Date.UTC(2026, 2, 4, 10, 23, 1));
  let poolId: string;
  let clientId: string;
  let secret: string;
  let noSrpClientId: string;
  let noSrpSecret: string;
  const email = 'sam@example.com';
  let sub: string;

  beforeAll(async () => {
    idp = await startTestIdp({ clock });
    // Shaped like the stack's own pool and app client: email as the username, a secret, SRP among the flows.
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'srp-secret',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
    );
    poolId = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        GenerateSecret: true,
        ExplicitAuthFlows: [
          'ALLOW_USER_PASSWORD_AUTH',
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_USER_SRP_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    secret = client.UserPoolClient?.ClientSecret as string;
    const noSrp = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'no-srp',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    noSrpClientId = noSrp.UserPoolClient?.ClientId as string;
    noSrpSecret = noSrp.UserPoolClient?.ClientSecret as string;
    const signUp = await idp.sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: PASSWORD,
        SecretHash: secretHash(email, clientId, secret),
      }),
    );
    sub = signUp.UserSub as string;
    await idp.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  });
  afterAll(async () => idp.stop());

  /** Step 1 with a correct SECRET_HASH over the name the user typed. */
  async function challenge(srp: SrpClient) {
    const step = await idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: email, SRP_A: srp.A, SECRET_HASH: secretHash(email, clientId, secret) },
      }),
    );
    expect(step.ChallengeName).toBe('PASSWORD_VERIFIER');
    return step.ChallengeParameters as Record<string, string>;
  }

  const respond = (ChallengeResponses: Record<string, string>) =>
    idp.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses,
      }),
    );

  it('signs in with USER_SRP_AUTH and PASSWORD_VERIFIER when both steps carry the SECRET_HASH', async () => {
    const srp = new SrpClient(poolId);
    const params = await challenge(srp);
    expect(params).toMatchObject({ USERNAME: sub, USER_ID_FOR_SRP: sub });
    // The answer names the internal username (USER_ID_FOR_SRP), so its SECRET_HASH is computed over that.
    const answer = srp.answer(params, PASSWORD, clock.now());
    const done = await respond({ ...answer, SECRET_HASH: secretHash(sub, clientId, secret) });
    expect(done.ChallengeName).toBeUndefined();
    const access = decodeJwt(done.AuthenticationResult?.AccessToken as string);
    expect(access).toMatchObject({ sub, client_id: clientId, username: sub, token_use: 'access' });
    expect(decodeJwt(done.AuthenticationResult?.IdToken as string)).toMatchObject({ aud: clientId, email });
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it('refuses USER_SRP_AUTH without a SECRET_HASH or with a wrong one', async () => {
    const srp = new SrpClient(poolId);
    await expect(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: email, SRP_A: srp.A },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    await expect(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: {
            USERNAME: email,
            SRP_A: srp.A,
            SECRET_HASH: secretHash(email, clientId, 'wrong'),
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
  });

  it('refuses a correctly signed PASSWORD_VERIFIER answer without a SECRET_HASH or with a wrong one', async () => {
    const missing = new SrpClient(poolId);
    await expect(
      respond(missing.answer(await challenge(missing), PASSWORD, clock.now())),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    const wrong = new SrpClient(poolId);
    await expect(
      respond({
        ...wrong.answer(await challenge(wrong), PASSWORD, clock.now()),
        SECRET_HASH: secretHash(sub, clientId, 'wrong'),
      }),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    // Neither refusal counted as a wrong password: the next sign-in goes through.
    const srp = new SrpClient(poolId);
    const done = await respond({
      ...srp.answer(await challenge(srp), PASSWORD, clock.now()),
      SECRET_HASH: secretHash(sub, clientId, secret),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('refuses USER_SRP_AUTH on an app client whose ExplicitAuthFlows leave it out', async () => {
    await expect(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: noSrpClientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: {
            USERNAME: email,
            SRP_A: new SrpClient(poolId).A,
            SECRET_HASH: secretHash(email, noSrpClientId, noSrpSecret),
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'USER_SRP_AUTH is not enabled for the client.',
    });
  });
});
