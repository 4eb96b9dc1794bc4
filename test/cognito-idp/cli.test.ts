import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash, startTestIdp, type TestIdp } from '../helpers/idp.js';

const run = promisify(execFile);

describe('the aws CLI against the local user pool', () => {
  let idp: TestIdp;
  let poolId: string;
  let clientId: string;
  let secret: string;

  /** Runs `aws cognito-idp ...` with dummy credentials; a missing `aws` binary fails the test (ENOENT). */
  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(
      'aws',
      ['cognito-idp', ...args, '--endpoint-url', idp.url, '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: idp.dataDir,
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
        timeout: 30_000,
      },
    );
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  /** The stderr of an `aws cognito-idp ...` that must fail (fails the test if it succeeds). */
  async function awsError(...args: string[]): Promise<string> {
    const err = await aws(...args).then(
      () => undefined,
      (e: { stderr?: string }) => e,
    );
    if (!err) throw new Error(`aws cognito-idp ${args[0]} succeeded`);
    return err.stderr ?? '';
  }

  /** The arguments of `admin-initiate-auth` with ADMIN_USER_PASSWORD_AUTH for carol. */
  const signInArgs = (password: string) => [
    '--user-pool-id',
    poolId,
    '--client-id',
    clientId,
    '--auth-flow',
    'ADMIN_USER_PASSWORD_AUTH',
    '--auth-parameters',
    JSON.stringify({
      USERNAME: 'carol',
      PASSWORD: password,
      SECRET_HASH: secretHash('carol', clientId, secret),
    }),
  ];

  /** ADMIN_USER_PASSWORD_AUTH for carol; returns the AuthenticationResult. */
  async function adminSignIn(password: string): Promise<Record<string, string>> {
    const auth = await aws('admin-initiate-auth', ...signInArgs(password));
    return auth.AuthenticationResult as Record<string, string>;
  }

  beforeAll(async () => {
    idp = await startTestIdp();
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({ PoolName: 'cli', AutoVerifiedAttributes: ['email'] }),
    );
    poolId = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'cli',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    secret = client.UserPoolClient?.ClientSecret as string;
  });
  afterAll(async () => idp.stop());

  it('signs up, confirms, signs in as an admin and lists users', async () => {
    const signUp = await aws(
      'sign-up',
      '--client-id',
      clientId,
      '--username',
      'carol',
      '--password',
      'Cl1-Passw0rd!',
      '--secret-hash',
      secretHash('carol', clientId, secret),
      '--user-attributes',
      'Name=email,Value=carol@example.com',
    );
    expect(signUp.UserConfirmed).toBe(false);
    const code = await idp.latestCode('carol@example.com');
    await aws(
      'confirm-sign-up',
      '--client-id',
      clientId,
      '--username',
      'carol',
      '--confirmation-code',
      code,
      '--secret-hash',
      secretHash('carol', clientId, secret),
    );
    const auth = await aws(
      'admin-initiate-auth',
      '--user-pool-id',
      poolId,
      '--client-id',
      clientId,
      '--auth-flow',
      'ADMIN_USER_PASSWORD_AUTH',
      '--auth-parameters',
      `USERNAME=carol,PASSWORD=Cl1-Passw0rd!,SECRET_HASH=${secretHash('carol', clientId, secret)}`,
    );
    const result = auth.AuthenticationResult as Record<string, unknown>;
    expect(result.TokenType).toBe('Bearer');
    expect(typeof result.AccessToken).toBe('string');
    const users = await aws('list-users', '--user-pool-id', poolId, '--filter', 'username = "carol"');
    const list = users.Users as { Username: string; UserStatus: string; UserCreateDate: number }[];
    expect(list.map((u) => [u.Username, u.UserStatus])).toEqual([['carol', 'CONFIRMED']]);
    // CLI v1 prints timestamps as the epoch seconds it received.
    expect(Math.abs((list[0]?.UserCreateDate ?? 0) - Date.now() / 1000)).toBeLessThan(600);
  });

  // Continues with carol, whom the test above signed up and confirmed. Fifteen CLI runs, each a Python start-up of
  // a second or so on a loaded machine: bounded at two minutes.
  it('refreshes, reads and updates the profile, resets the password, signs out globally, disables, enables and deletes the user', async () => {
    const first = await adminSignIn('Cl1-Passw0rd!');
    const refreshed = await aws(
      'initiate-auth',
      '--client-id',
      clientId,
      '--auth-flow',
      'REFRESH_TOKEN_AUTH',
      '--auth-parameters',
      JSON.stringify({
        REFRESH_TOKEN: first.RefreshToken,
        SECRET_HASH: secretHash('carol', clientId, secret),
      }),
    );
    const renewed = refreshed.AuthenticationResult as Record<string, string>;
    expect(typeof renewed.AccessToken).toBe('string');
    expect(renewed.RefreshToken).toBeUndefined();
    const token = renewed.AccessToken as string;

    await aws(
      'update-user-attributes',
      '--access-token',
      token,
      '--user-attributes',
      'Name=name,Value=Carol',
    );
    const me = await aws('get-user', '--access-token', token);
    expect(me.Username).toBe('carol');
    const attrs = Object.fromEntries(
      (me.UserAttributes as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
    );
    expect(attrs).toMatchObject({ name: 'Carol', email: 'carol@example.com', email_verified: 'true' });

    const forgot = await aws(
      'forgot-password',
      '--client-id',
      clientId,
      '--username',
      'carol',
      '--secret-hash',
      secretHash('carol', clientId, secret),
    );
    expect(forgot.CodeDeliveryDetails).toEqual({
      Destination: 'c***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    await aws(
      'confirm-forgot-password',
      '--client-id',
      clientId,
      '--username',
      'carol',
      '--confirmation-code',
      await idp.latestCode('carol@example.com'),
      '--password',
      'N3w-Cl1-Passw0rd!',
      '--secret-hash',
      secretHash('carol', clientId, secret),
    );
    // The new password works (and the session it opens is the one signed out below).
    const current = await adminSignIn('N3w-Cl1-Passw0rd!');

    await aws('global-sign-out', '--access-token', current.AccessToken as string);
    expect(await awsError('get-user', '--access-token', current.AccessToken as string)).toContain(
      'An error occurred (NotAuthorizedException) when calling the GetUser operation: Access Token has been revoked',
    );

    await aws('admin-disable-user', '--user-pool-id', poolId, '--username', 'carol');
    expect(await awsError('admin-initiate-auth', ...signInArgs('N3w-Cl1-Passw0rd!'))).toContain(
      'An error occurred (NotAuthorizedException) when calling the AdminInitiateAuth operation: User is disabled.',
    );
    await aws('admin-enable-user', '--user-pool-id', poolId, '--username', 'carol');
    expect(typeof (await adminSignIn('N3w-Cl1-Passw0rd!')).AccessToken).toBe('string');

    await aws('admin-delete-user', '--user-pool-id', poolId, '--username', 'carol');
    expect(await awsError('admin-get-user', '--user-pool-id', poolId, '--username', 'carol')).toContain(
      'An error occurred (UserNotFoundException) when calling the AdminGetUser operation: User does not exist.',
    );
  }, 120_000);

  it('reports Cognito errors by code and message', async () => {
    const err = await aws('admin-get-user', '--user-pool-id', poolId, '--username', 'nobody').then(
      () => undefined,
      (e: { stderr?: string }) => e,
    );
    expect(err?.stderr).toContain(
      'An error occurred (UserNotFoundException) when calling the AdminGetUser operation: User does not exist.',
    );
  });
});
