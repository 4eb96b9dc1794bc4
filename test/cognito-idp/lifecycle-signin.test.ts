import {
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { secretHash, type TestIdp } from '../helpers/idp.js';
import { SrpClient } from '../helpers/srpClient.js';
import {
  type LifecyclePool,
  lifecycleHelpers,
  PASSWORD,
  rejects,
  startLifecyclePool,
} from './support/lifecycle.js';

describe('the user pool life cycle through the AWS SDK v3: pools, sign-up, sign-in and tokens', () => {
  const clock = new FakeClock(Date.now());
  /** Codes the pool mails next, in order; once empty, random codes from node:crypto as in production. */
  const nextCodes: string[] = [];
  let pool: LifecyclePool;
  let idp: TestIdp;
  let poolId: string;
  let clientId: string;
  let secret: string;

  beforeAll(async () => {
    pool = await startLifecyclePool(clock, nextCodes);
    ({ idp, poolId, clientId, secret } = pool);
  });
  afterAll(async () => idp.stop());

  const { hash, signIn, otherClient } = lifecycleHelpers(() => pool);

  it('creates pools and clients in Cognito formats and describes and lists them', async () => {
    expect(poolId).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(secret).toMatch(/^[a-z0-9]{51}$/);
    const described = await idp.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool?.Name).toBe('lifecycle');
    expect(described.UserPool?.UsernameAttributes).toEqual(['email']);
    expect(described.UserPool?.CreationDate).toBeInstanceOf(Date);
    expect(described.UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
    const pools = await idp.sdk.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(pools.UserPools?.map((p) => p.Id)).toContain(poolId);
    const client = await idp.sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(client.UserPoolClient?.ClientSecret).toBe(secret);
    expect(client.UserPoolClient?.RefreshTokenValidity).toBe(30);
    const clients = await idp.sdk.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(clients.UserPoolClients?.map((c) => c.ClientId)).toEqual([clientId]);
  });

  it('signs up with SECRET_HASH, confirms with the mailed code, and signs in with a password', async () => {
    const email = 'ada@example.com';
    const res = await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    expect(res.UserConfirmed).toBe(false);
    expect(res.CodeDeliveryDetails).toEqual({
      Destination: 'a***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    await rejects(signIn(email), 'UserNotConfirmedException', 'User is not confirmed.');
    const [mail] = await idp.inbox(email);
    expect(mail?.subject).toBe('Your verification code');
    const code = await idp.latestCode(email);
    await rejects(
      idp.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: code === '000000' ? '111111' : '000000',
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
        ConfirmationCode: code,
        SecretHash: hash(email),
      }),
    );
    await rejects(
      idp.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: code,
          SecretHash: hash(email),
        }),
      ),
      'NotAuthorizedException',
      'User cannot be confirmed. Current status is CONFIRMED',
    );
    const auth = await signIn(email);
    const result = auth.AuthenticationResult;
    expect(result?.TokenType).toBe('Bearer');
    expect(result?.ExpiresIn).toBe(3600);
    const access = decodeJwt(result?.AccessToken as string);
    const id = decodeJwt(result?.IdToken as string);
    expect(access.token_use).toBe('access');
    expect(access.client_id).toBe(clientId);
    expect(access.scope).toBe('aws.cognito.signin.user.admin');
    expect(access.username).toBe(res.UserSub);
    expect(id.aud).toBe(clientId);
    expect(id.email).toBe(email);
    expect(id.email_verified).toBe(true);
    expect(id['cognito:username']).toBe(res.UserSub);
    expect(id.iss).toBe(`${idp.url}/${poolId}`);
    expect(typeof id.event_id).toBe('string');
    expect(id.origin_jti).toBe(access.origin_jti);
  });

  it('rejects a missing or wrong SECRET_HASH, a wrong password and an unknown user', async () => {
    const email = 'ada@example.com';
    await rejects(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
        }),
      ),
      'NotAuthorizedException',
      `Client ${clientId} is configured for secret but secret was not received`,
    );
    await rejects(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: email,
            PASSWORD: PASSWORD,
            SECRET_HASH: secretHash(email, clientId, 'wrong'),
          },
        }),
      ),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${clientId}`,
    );
    await rejects(
      signIn(email, 'Wr0ng-password!'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    await rejects(signIn('nobody@example.com'), 'UserNotFoundException', 'User does not exist.');
    await rejects(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: 'nosuchclient',
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {},
        }),
      ),
      'ResourceNotFoundException',
      'User pool client nosuchclient does not exist.',
    );
  });

  it('enforces the password policy, required attributes and unique emails at sign-up', async () => {
    const email = 'grace@example.com';
    await rejects(
      idp.sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: 'alllowercase1!',
          SecretHash: hash(email),
        }),
      ),
      'InvalidPasswordException',
      'Password did not conform with policy: Password must have uppercase characters',
    );
    await rejects(
      idp.sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: 'Sh0rt!',
          SecretHash: hash(email),
        }),
      ),
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    await rejects(
      idp.sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'not-an-email',
          Password: PASSWORD,
          SecretHash: hash('not-an-email'),
        }),
      ),
      'InvalidParameterException',
      'Username should be an email.',
    );
    await rejects(
      idp.sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'ada@example.com',
          Password: PASSWORD,
          SecretHash: hash('ada@example.com'),
        }),
      ),
      'UsernameExistsException',
      'An account with the given email already exists.',
    );
    await rejects(
      idp.sdk.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: PASSWORD,
          SecretHash: hash(email),
          UserAttributes: [{ Name: 'custom:unknown', Value: 'x' }],
        }),
      ),
      'InvalidParameterException',
      'Attributes did not conform to the schema: Type for attribute {custom:unknown} could not be determined',
    );
  });

  it('refreshes tokens keeping auth_time and origin_jti, and returns no new refresh token', async () => {
    const email = 'ada@example.com';
    const first = (await signIn(email)).AuthenticationResult;
    clock.advance(120_000);
    const sub = decodeJwt(first?.AccessToken as string).sub as string;
    const refreshed = await idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken as string, SECRET_HASH: hash(sub) },
      }),
    );
    const a = decodeJwt(first?.AccessToken as string);
    const b = decodeJwt(refreshed.AuthenticationResult?.AccessToken as string);
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(b.auth_time).toBe(a.auth_time);
    expect(b.origin_jti).toBe(a.origin_jti);
    expect(b.iat).toBeGreaterThan(a.iat as number);
    await rejects(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: 'not-a-token', SECRET_HASH: hash(sub) },
        }),
      ),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
  });

  it('accepts REFRESH_TOKEN as another name for REFRESH_TOKEN_AUTH, in InitiateAuth and AdminInitiateAuth', async () => {
    const first = (await signIn('ada@example.com')).AuthenticationResult;
    const a = decodeJwt(first?.AccessToken as string);
    const sub = a.sub as string;
    clock.advance(60_000);
    const user = await idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN',
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken as string, SECRET_HASH: hash(sub) },
      }),
    );
    const admin = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN',
        AuthParameters: { REFRESH_TOKEN: first?.RefreshToken as string, SECRET_HASH: hash(sub) },
      }),
    );
    for (const res of [user, admin]) {
      expect(res.AuthenticationResult?.RefreshToken).toBeUndefined();
      const b = decodeJwt(res.AuthenticationResult?.AccessToken as string);
      expect(b).toMatchObject({ sub, origin_jti: a.origin_jti, auth_time: a.auth_time });
      expect(b.iat).toBeGreaterThan(a.iat as number);
    }
  });

  it('expires refresh tokens after the RefreshTokenValidity of their client', async () => {
    const shortLived = await otherClient('short-refresh', {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenValidity: 60,
      TokenValidityUnits: { RefreshToken: 'minutes' },
    });
    const first = (await shortLived.signIn('ada@example.com')).AuthenticationResult;
    const sub = decodeJwt(first?.AccessToken as string).sub as string;
    const refresh = () =>
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: shortLived.id,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first?.RefreshToken as string, SECRET_HASH: shortLived.hash(sub) },
        }),
      );
    clock.advance(3600_000 - 1000);
    expect((await refresh()).AuthenticationResult?.AccessToken).toBeTruthy();
    clock.advance(2000);
    await rejects(refresh(), 'NotAuthorizedException', 'Refresh Token has expired');
  });

  it('refuses USER_SRP_AUTH and REFRESH_TOKEN_AUTH when the ExplicitAuthFlows of the client leave them out', async () => {
    const passwordOnly = await otherClient('password-only', {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    });
    const tokens = (await passwordOnly.signIn('ada@example.com')).AuthenticationResult;
    const sub = decodeJwt(tokens?.AccessToken as string).sub as string;
    for (const AuthFlow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      await rejects(
        idp.sdk.send(
          new InitiateAuthCommand({
            ClientId: passwordOnly.id,
            AuthFlow,
            AuthParameters: {
              REFRESH_TOKEN: tokens?.RefreshToken as string,
              SECRET_HASH: passwordOnly.hash(sub),
            },
          }),
        ),
        'InvalidParameterException',
        'REFRESH_TOKEN_AUTH flow not enabled for this client',
      );
    }
    await rejects(
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: passwordOnly.id,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: {
            USERNAME: 'ada@example.com',
            SRP_A: new SrpClient(poolId).A,
            SECRET_HASH: passwordOnly.hash('ada@example.com'),
          },
        }),
      ),
      'InvalidParameterException',
      'USER_SRP_AUTH is not enabled for the client.',
    );
  });

  it('expires access tokens after their validity', async () => {
    const token = (await signIn('ada@example.com')).AuthenticationResult?.AccessToken as string;
    clock.advance(3601_000);
    await rejects(
      idp.sdk.send(new GetUserCommand({ AccessToken: token })),
      'NotAuthorizedException',
      'Access Token has expired',
    );
    await rejects(
      idp.sdk.send(new GetUserCommand({ AccessToken: `${token}x` })),
      'NotAuthorizedException',
      'Invalid Access Token',
    );
  });

  it('enforces ExplicitAuthFlows and updates and deletes clients and pools', async () => {
    await idp.sdk.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    await rejects(
      signIn('ada@example.com'),
      'InvalidParameterException',
      'USER_PASSWORD_AUTH flow not enabled for this client',
    );
    const described = await idp.sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(described.UserPoolClient?.ClientSecret).toBe(secret);
    await idp.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await rejects(
      idp.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    );
    await idp.sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await rejects(
      idp.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      'ResourceNotFoundException',
      `User pool ${poolId} does not exist.`,
    );
  });
});
