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
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
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

describe('the user pool life cycle through the AWS SDK v3: code limits, lockout, groups and admin operations', () => {
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

  const { hash, signIn, confirmedUser } = lifecycleHelpers(() => pool);

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

  it('keeps the lockout and a password change in force after earlier correct sign-ins', async () => {
    const email = 'signed-in-before@example.com';
    await confirmedUser(email);
    expect((await signIn(email)).AuthenticationResult?.AccessToken).toBeTruthy();
    expect((await signIn(email)).AuthenticationResult?.AccessToken).toBeTruthy();
    for (let i = 0; i < 5; i++)
      await rejects(
        signIn(email, 'Wr0ng-pass!'),
        'NotAuthorizedException',
        'Incorrect username or password.',
      );
    await rejects(signIn(email), 'NotAuthorizedException', 'Password attempts exceeded');
    clock.advance(1001);
    expect((await signIn(email)).AuthenticationResult?.AccessToken).toBeTruthy();
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: email,
        Password: 'N3w-Passw0rd!',
        Permanent: true,
      }),
    );
    await rejects(signIn(email), 'NotAuthorizedException', 'Incorrect username or password.');
    expect((await signIn(email, 'N3w-Passw0rd!')).AuthenticationResult?.AccessToken).toBeTruthy();
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
});
