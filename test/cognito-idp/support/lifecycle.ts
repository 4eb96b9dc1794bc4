import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { cryptoIds, type IdSource } from '../../../src/services/cognito-idp/service/index.js';
import type { FakeClock } from '../../../src/shared/clock.js';
import { secretHash, startTestIdp, type TestIdp } from '../../helpers/idp.js';

/** Asserts a rejection by AWS error name (the wire __type) and exact message. */
export async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
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

export const PASSWORD = 'Corr3ct-Horse!';

/** The IdP, pool and secret app client each lifecycle-*.test.ts file runs against. */
export interface LifecyclePool {
  idp: TestIdp;
  poolId: string;
  clientId: string;
  secret: string;
}

/**
 * Starts an IdP on `clock` with the 'lifecycle' pool and its 'web' client.
 * `nextCodes` are the codes the pool mails next, in order; once empty, random codes from node:crypto as in production.
 */
export async function startLifecyclePool(clock: FakeClock, nextCodes: string[]): Promise<LifecyclePool> {
  const ids: IdSource = { ...cryptoIds, code: () => nextCodes.shift() ?? cryptoIds.code() };
  const idp = await startTestIdp({ clock, ids });
  const pool = await idp.sdk.send(
    new CreateUserPoolCommand({
      PoolName: 'lifecycle',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', Required: true, Mutable: true, AttributeDataType: 'String' }],
    }),
  );
  const poolId = pool.UserPool?.Id as string;
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
  const clientId = client.UserPoolClient?.ClientId as string;
  const secret = client.UserPoolClient?.ClientSecret as string;
  return { idp, poolId, clientId, secret };
}

/** The helpers the tests share, reading the pool that `pool()` returns once beforeAll has run. */
export function lifecycleHelpers(pool: () => LifecyclePool) {
  const hash = (u: string) => secretHash(u, pool().clientId, pool().secret);

  const signIn = (email: string, password = PASSWORD) =>
    pool().idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: pool().clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash(email) },
      }),
    );

  /** Another app client of the pool, with a secret: its id, a SECRET_HASH for it and a password sign-in through it. */
  async function otherClient(
    name: string,
    settings: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName' | 'GenerateSecret'>,
  ) {
    const { idp, poolId } = pool();
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
    const { idp, clientId } = pool();
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

  return { hash, signIn, otherClient, confirmedUser };
}
