import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

/**
 * Issue 10, findings 1 and 2 as they were found: through the SDK against the running server, whose password checks
 * run on the SRP worker threads, so parallel requests interleave across them.
 */
describe('concurrent requests to the running user pool server', () => {
  const clock = new FakeClock(Date.UTC(2026, 6, 1));
  let idp: TestIdp;
  let poolId: string;
  let clientId: string;
  const username = 'parallel@example.com';
  const password = 'Start-Passw0rd!';

  beforeAll(async () => {
    idp = await startTestIdp({ clock, srpInlineBudgetMs: 0 });
    const pool = await idp.sdk.send(new CreateUserPoolCommand({ PoolName: 'parallel' }));
    poolId = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'parallel',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await idp.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }),
    );
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
  });
  afterAll(async () => {
    await idp?.stop();
  });

  const signIn = (pw: string) =>
    idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: pw },
      }),
    );
  const wrongSignIns = (n: number) =>
    Promise.allSettled(Array.from({ length: n }, () => signIn('Wr0ng-Passw0rd!')));

  it('keeps AdminDisableUser acknowledged beside 8 failed sign-ins, round after round', async () => {
    for (let round = 0; round < 5; round++) {
      clock.advance(16 * 60_000);
      await idp.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
      const [, disabled] = await Promise.all([
        wrongSignIns(8),
        idp.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username })),
      ]);
      expect(disabled.$metadata.httpStatusCode).toBe(200);
      const user = await idp.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      expect(user.Enabled, `round ${round}`).toBe(false);
    }
    await idp.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
  });

  it('lets exactly one of four parallel ChangePassword calls win', async () => {
    clock.advance(16 * 60_000);
    const current = (await signIn(password)).AuthenticationResult?.AccessToken as string;
    const proposed = ['Chang3d-One!', 'Chang3d-Two!', 'Chang3d-Three!', 'Chang3d-Four!'];
    const results = await Promise.allSettled(
      proposed.map((p) =>
        idp.sdk.send(
          new ChangePasswordCommand({
            AccessToken: current,
            PreviousPassword: password,
            ProposedPassword: p,
          }),
        ),
      ),
    );
    const won = proposed.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(won).toHaveLength(1);
    clock.advance(16 * 60_000);
    expect((await signIn(won[0] as string)).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
