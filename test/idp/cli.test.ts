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
