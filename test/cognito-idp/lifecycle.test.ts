import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoIds, type IdSource } from '../../src/services/cognito-idp/service/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { secretHash, startTestIdp, type TestIdp } from '../helpers/idp.js';
import { SrpClient } from '../helpers/srpClient.js';

/** Asserts a rejection by AWS error name (the wire __type) and exact message. */
async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect(err, `expected ${name}`).toBeDefined();
  expect(err?.name).toBe(name);
  expect(err?.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === 'string') expect(err?.message).toBe(message);
  else if (message) expect(err?.message).toMatch(message);
}

const PASSWORD = 'Corr3ct-Horse!';

describe('the user pool life cycle through the AWS SDK v3', () => {
  let idp: TestIdp;
  const clock = new FakeClock(Date.now());
  let poolId: string;
  let clientId: string;
  let secret: string;
  const hash = (u: string) => secretHash(u, clientId, secret);
  /** Codes the pool mails next, in order; once empty, random codes from node:crypto as in production. */
  const nextCodes: string[] = [];
  const ids: IdSource = { ...cryptoIds, code: () => nextCodes.shift() ?? cryptoIds.code() };

  beforeAll(async () => {
    idp = await startTestIdp({ clock, ids });
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'lifecycle',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'email', Required: true, Mutable: true, AttributeDataType: 'String' }],
      }),
    );
    poolId = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        ExplicitAuthFlows: [
          'ALLOW_USER_PASSWORD_AUTH',
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
        PreventUserExistenceErrors: 'LEGACY',
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    secret = client.UserPoolClient?.ClientSecret as string;
  });
  afterAll(async () => idp.stop());

  const signIn = (email: string, password = PASSWORD) =>
    idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash(email) },
      }),
    );

  /** Another app client of the pool, with a secret: its id, a SECRET_HASH for it and a password sign-in through it. */
  async function otherClient(
    name: string,
    settings: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName' | 'GenerateSecret'>,
  ) {
    const res = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: name,
        GenerateSecret: true,
        ...settings,
      }),
    );
    const id = res.UserPoolClient?.ClientId as string;
    const otherSecret = res.UserPoolClient?.ClientSecret as string;
    const otherHash = (u: string) => secretHash(u, id, otherSecret);
    const otherSignIn = (email: string) =>
      idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: otherHash(email) },
        }),
      );
    return { id, hash: otherHash, signIn: otherSignIn };
  }

  async function confirmedUser(email: string): Promise<string> {
    const res = await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    const code = await idp.latestCode(email);
    await idp.sdk.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: code,
        SecretHash: hash(email),
      }),
    );
    return res.UserSub as string;
  }

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

  it('expires sign-up codes after 24 hours', async () => {
    const email = 'late@example.com';
    await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    const code = await idp.latestCode(email);
    clock.advance(24 * 3600_000 + 1000);
    await rejects(
      idp.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: code,
          SecretHash: hash(email),
        }),
      ),
      'ExpiredCodeException',
      'Invalid code provided, please request a code again.',
    );
  });

  it('burns a code after five wrong guesses', async () => {
    const email = 'guesser@example.com';
    await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    const code = await idp.latestCode(email);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) {
      await rejects(
        idp.sdk.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: email,
            ConfirmationCode: wrong,
            SecretHash: hash(email),
          }),
        ),
        'CodeMismatchException',
        'Invalid verification code provided, please try again.',
      );
    }
    await rejects(
      idp.sdk.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: email,
          ConfirmationCode: code,
          SecretHash: hash(email),
        }),
      ),
      'LimitExceededException',
      'Attempt limit exceeded, please try after some time.',
    );
  });

  it('locks a user out after five failed sign-ins, for a period that doubles', async () => {
    const email = 'locked@example.com';
    await confirmedUser(email);
    for (let i = 0; i < 5; i++)
      await rejects(
        signIn(email, 'Wr0ng-pass!'),
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
    // Locked for 1 s: even the right password is refused.
    await rejects(signIn(email), 'NotAuthorizedException', 'Password attempts exceeded');
    clock.advance(1001);
    await rejects(signIn(email, 'Wr0ng-pass!'), 'NotAuthorizedException', 'Incorrect username or password.');
    clock.advance(1001);
    await rejects(signIn(email), 'NotAuthorizedException', 'Password attempts exceeded');
    clock.advance(1000);
    expect((await signIn(email)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('puts groups into tokens and manages groups and memberships', async () => {
    const email = 'grouped@example.com';
    await confirmedUser(email);
    const g = await idp.sdk.send(
      new CreateGroupCommand({
        UserPoolId: poolId,
        GroupName: 'admins',
        Precedence: 1,
        Description: 'Admins',
      }),
    );
    expect(g.Group?.GroupName).toBe('admins');
    await idp.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', Precedence: 5 }));
    await rejects(
      idp.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' })),
      'GroupExistsException',
      'A group with the name admins already exists.',
    );
    await idp.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'readers' }),
    );
    await idp.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'admins' }),
    );
    const tokens = (await signIn(email)).AuthenticationResult;
    expect(decodeJwt(tokens?.AccessToken as string)['cognito:groups']).toEqual(['admins', 'readers']);
    expect(decodeJwt(tokens?.IdToken as string)['cognito:groups']).toEqual(['admins', 'readers']);
    const forUser = await idp.sdk.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: email }),
    );
    expect(forUser.Groups?.map((x) => x.GroupName)).toEqual(['admins', 'readers']);
    const inGroup = await idp.sdk.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }),
    );
    expect(inGroup.Users?.map((u) => u.Attributes?.find((a) => a.Name === 'email')?.Value)).toEqual([email]);
    await idp.sdk.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'admins' }),
    );
    expect(
      (await idp.sdk.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group
        ?.Precedence,
    ).toBe(1);
    expect((await idp.sdk.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups).toHaveLength(2);
    await idp.sdk.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
    await rejects(
      idp.sdk.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
  });

  it('lists users with a Filter and paginates', async () => {
    for (const n of [1, 2, 3]) {
      await idp.sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `page${n}@list.example`,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: `page${n}@list.example` }],
        }),
      );
    }
    const first = await idp.sdk.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "page"', Limit: 2 }),
    );
    expect(first.Users).toHaveLength(2);
    expect(first.PaginationToken).toBeTruthy();
    const second = await idp.sdk.send(
      new ListUsersCommand({
        UserPoolId: poolId,
        Filter: 'email ^= "page"',
        Limit: 2,
        PaginationToken: first.PaginationToken,
      }),
    );
    expect(second.Users).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();
    const emails = [...(first.Users ?? []), ...(second.Users ?? [])].map(
      (u) => u.Attributes?.find((a) => a.Name === 'email')?.Value,
    );
    expect(emails.sort()).toEqual(['page1@list.example', 'page2@list.example', 'page3@list.example']);
    const exact = await idp.sdk.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "page2@list.example"' }),
    );
    expect(exact.Users?.[0]?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const status = await idp.sdk.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'cognito:user_status = "UNCONFIRMED"' }),
    );
    // The two sign-ups earlier tests left unconfirmed, and no one else.
    expect(
      status.Users?.map((u) => [u.Attributes?.find((a) => a.Name === 'email')?.Value, u.UserStatus]).sort(),
    ).toEqual([
      ['guesser@example.com', 'UNCONFIRMED'],
      ['late@example.com', 'UNCONFIRMED'],
    ]);
    await rejects(
      idp.sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'custom:x = "1"' })),
      'InvalidParameterException',
      'Invalid search attribute: custom:x',
    );
  });

  it('creates users as an admin with a welcome mail and completes NEW_PASSWORD_REQUIRED', async () => {
    const email = 'invited@example.com';
    const created = await idp.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        TemporaryPassword: 'Temp-Passw0rd!',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const [welcome] = await idp.inbox(email);
    expect(welcome?.subject).toBe('Your temporary password');
    expect(welcome?.text).toContain('Temp-Passw0rd!');
    expect(welcome?.text).toContain(created.User?.Username as string);
    const step = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: 'Temp-Passw0rd!', SECRET_HASH: hash(email) },
      }),
    );
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(step.Session).toBeTruthy();
    const done = await idp.sdk.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: step.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: PASSWORD, SECRET_HASH: hash(email) },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    const got = await idp.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(got.UserStatus).toBe('CONFIRMED');
    await rejects(
      idp.sdk.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
      ),
      'UsernameExistsException',
      'An account with the given email already exists.',
    );
  });

  it('runs the admin user operations: confirm, set password, update attributes, disable, enable, reset, delete', async () => {
    const email = 'admin-ops@example.com';
    await idp.sdk.send(
      new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email) }),
    );
    await idp.sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: email,
        Password: 'Adm1n-Set!',
        Permanent: true,
      }),
    );
    await idp.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [
          { Name: 'email_verified', Value: 'true' },
          { Name: 'family_name', Value: 'Hopper' },
        ],
      }),
    );
    const token = (await signIn(email, 'Adm1n-Set!')).AuthenticationResult?.AccessToken as string;
    await idp.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await rejects(signIn(email, 'Adm1n-Set!'), 'NotAuthorizedException', 'User is disabled.');
    await rejects(
      idp.sdk.send(new GetUserCommand({ AccessToken: token })),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    await idp.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    expect((await signIn(email, 'Adm1n-Set!')).AuthenticationResult).toBeDefined();
    await idp.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email }));
    const status = async () =>
      (await idp.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus;
    expect(await status()).toBe('RESET_REQUIRED');
    await rejects(
      signIn(email, 'Adm1n-Set!'),
      'PasswordResetRequiredException',
      'Password reset required for the user',
    );
    // The user asks for a code of their own, as an app answering PasswordResetRequiredException does.
    const fp = await idp.sdk.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: email, SecretHash: hash(email) }),
    );
    expect(fp.CodeDeliveryDetails).toEqual({
      Destination: 'a***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const code = await idp.latestCode(email);
    await idp.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: code,
        Password: 'Aft3r-Reset!',
        SecretHash: hash(email),
      }),
    );
    expect(await status()).toBe('CONFIRMED');
    expect((await signIn(email, 'Aft3r-Reset!')).AuthenticationResult).toBeDefined();
    await idp.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    await rejects(
      idp.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email })),
      'UserNotFoundException',
      'User does not exist.',
    );
  });

  it('ends access and refresh tokens with GlobalSignOut, AdminUserGlobalSignOut and RevokeToken', async () => {
    const email = 'signout@example.com';
    const sub = await confirmedUser(email);
    const a = (await signIn(email)).AuthenticationResult;
    const b = (await signIn(email)).AuthenticationResult;
    await idp.sdk.send(new GlobalSignOutCommand({ AccessToken: a?.AccessToken as string }));
    for (const t of [a, b]) {
      await rejects(
        idp.sdk.send(new GetUserCommand({ AccessToken: t?.AccessToken as string })),
        'NotAuthorizedException',
        'Access Token has been revoked',
      );
      await rejects(
        idp.sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: t?.RefreshToken as string, SECRET_HASH: hash(sub) },
          }),
        ),
        'NotAuthorizedException',
        'Refresh Token has been revoked',
      );
    }
    const c = (await signIn(email)).AuthenticationResult;
    expect((await idp.sdk.send(new GetUserCommand({ AccessToken: c?.AccessToken as string }))).Username).toBe(
      sub,
    );
    await idp.sdk.send(
      new RevokeTokenCommand({ ClientId: clientId, ClientSecret: secret, Token: c?.RefreshToken as string }),
    );
    await rejects(
      idp.sdk.send(new GetUserCommand({ AccessToken: c?.AccessToken as string })),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
    const d = (await signIn(email)).AuthenticationResult;
    await idp.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: email }));
    await rejects(
      idp.sdk.send(new GetUserCommand({ AccessToken: d?.AccessToken as string })),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
  });

  it('deletes the user with DeleteUser', async () => {
    const email = 'leaver@example.com';
    await confirmedUser(email);
    const token = (await signIn(email)).AuthenticationResult?.AccessToken as string;
    await idp.sdk.send(new DeleteUserCommand({ AccessToken: token }));
    await rejects(signIn(email), 'UserNotFoundException', 'User does not exist.');
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
