import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deferredSrp,
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../helpers/idpService.js';

/**
 * Regression tests for issue 10's findings 1, 2, 3 and 8: concurrent calls must not undo each other's writes, a
 * password change is compare-and-set, codes cannot be brute-forced and the lockout holds under a burst. Every call
 * goes through `dispatch`, exactly as the server runs it; sign-in's password check awaits (as it does on the SRP
 * workers), so the calls of one `Promise.all` interleave.
 */
describe('concurrent writes to one user', () => {
  let h: ServiceHarness;
  let env: Awaited<ReturnType<ServiceHarness['setup']>>;
  const email = 'race@example.com';

  beforeEach(async () => {
    h = serviceHarness({ srp: deferredSrp });
    env = await h.setup();
    await h.confirmedUser(env.clientId, env.hash, email);
  });
  afterEach(() => h.close());

  const wrongSignIn = () =>
    errorOf(
      h.call('InitiateAuth', {
        ClientId: env.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: 'Wr0ng-Passw0rd!' },
      }),
    );
  const user = () =>
    h.call<{ Enabled: boolean; UserAttributes: { Name: string; Value: string }[] }>('AdminGetUser', {
      UserPoolId: env.poolId,
      Username: email,
    });
  /** Lets any lockout from the burst run out, so the next sign-in is judged on its password alone. */
  const afterLockout = () => h.clock.advance(16 * 60_000);

  it('keeps AdminDisableUser when failed sign-ins run beside it (finding 1)', async () => {
    const [, disabled] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, wrongSignIn)),
      h.call('AdminDisableUser', { UserPoolId: env.poolId, Username: email }),
    ]);
    expect(disabled).toEqual({});
    expect((await user()).Enabled).toBe(false);
  });

  it('keeps AdminSetUserPassword when failed sign-ins run beside it (finding 1)', async () => {
    await Promise.all([
      Promise.all(Array.from({ length: 4 }, wrongSignIn)),
      h.call('AdminSetUserPassword', {
        UserPoolId: env.poolId,
        Username: email,
        Password: 'N3w-Passw0rd!',
        Permanent: true,
      }),
    ]);
    afterLockout();
    expect(await errorOf(h.signIn(env.clientId, email, PASSWORD))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    afterLockout();
    expect((await h.signIn(env.clientId, email, 'N3w-Passw0rd!')).AccessToken).toBeTruthy();
  });

  it('keeps AdminUpdateUserAttributes when failed sign-ins run beside it (finding 1)', async () => {
    await Promise.all([
      Promise.all(Array.from({ length: 8 }, wrongSignIn)),
      h.call('AdminUpdateUserAttributes', {
        UserPoolId: env.poolId,
        Username: email,
        UserAttributes: [{ Name: 'name', Value: 'Grace' }],
      }),
    ]);
    expect((await user()).UserAttributes).toContainEqual({ Name: 'name', Value: 'Grace' });
  });

  it('lets exactly one of four parallel ChangePassword calls succeed (finding 2)', async () => {
    const { AccessToken } = await h.signIn(env.clientId, email);
    const proposed = ['Chang3d-One!', 'Chang3d-Two!', 'Chang3d-Three!', 'Chang3d-Four!'];
    const results = await Promise.allSettled(
      proposed.map((p) =>
        h.call('ChangePassword', { AccessToken, PreviousPassword: PASSWORD, ProposedPassword: p }),
      ),
    );
    const won = proposed.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toMatchObject({
          code: 'NotAuthorizedException',
          message: 'Incorrect username or password.',
        });
      }
    }
    afterLockout();
    expect((await h.signIn(env.clientId, email, won[0])).AccessToken).toBeTruthy();
  });

  it('lets exactly one of parallel ConfirmForgotPassword calls with the right code succeed', async () => {
    await h.call('ForgotPassword', { ClientId: env.clientId, Username: email });
    const code = h.code(email);
    const proposed = ['Res3t-One!', 'Res3t-Two!', 'Res3t-Three!'];
    const results = await Promise.allSettled(
      proposed.map((p) =>
        h.call('ConfirmForgotPassword', {
          ClientId: env.clientId,
          Username: email,
          ConfirmationCode: code,
          Password: p,
        }),
      ),
    );
    const won = proposed.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((await h.signIn(env.clientId, email, won[0])).AccessToken).toBeTruthy();
  });

  it('lets exactly one of parallel ConfirmSignUp calls with the right code succeed', async () => {
    const other = 'second@example.com';
    await h.call('SignUp', { ClientId: env.clientId, Username: other, Password: PASSWORD });
    const code = h.code(other);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        h.call('ConfirmSignUp', { ClientId: env.clientId, Username: other, ConfirmationCode: code }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('lets exactly one of parallel NEW_PASSWORD_REQUIRED answers to one session succeed', async () => {
    const invited = 'invited@example.com';
    await h.call('AdminCreateUser', {
      UserPoolId: env.poolId,
      Username: invited,
      TemporaryPassword: 'Temp-Passw0rd!',
      MessageAction: 'SUPPRESS',
    });
    const challenge = await h.call<{ Session: string }>('InitiateAuth', {
      ClientId: env.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: invited, PASSWORD: 'Temp-Passw0rd!' },
    });
    const proposed = ['Answer-One1!', 'Answer-Two2!', 'Answer-Three3!'];
    const results = await Promise.allSettled(
      proposed.map((p) =>
        h.call('RespondToAuthChallenge', {
          ClientId: env.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: p },
        }),
      ),
    );
    const won = proposed.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((await h.signIn(env.clientId, invited, won[0])).AccessToken).toBeTruthy();
  });

  it('evaluates at most five passwords of a burst of 100 before the lock (finding 8)', async () => {
    const errors = await Promise.all(Array.from({ length: 100 }, wrongSignIn));
    const evaluated = errors.filter((e) => e.message === 'Incorrect username or password.');
    const locked = errors.filter((e) => e.message === 'Password attempts exceeded');
    expect(evaluated).toHaveLength(5);
    expect(locked).toHaveLength(95);
  });
});

describe('code requests and guesses are limited per user (finding 3)', () => {
  let h: ServiceHarness;
  let env: Awaited<ReturnType<ServiceHarness['setup']>>;
  const email = 'victim@example.com';
  const limitExceeded = {
    code: 'LimitExceededException',
    message: 'Attempt limit exceeded, please try after some time.',
  };

  beforeEach(async () => {
    h = serviceHarness();
    env = await h.setup();
  });
  afterEach(() => h.close());

  /** Calls `op` until it fails; returns how many succeeded (capped) and the error. */
  async function untilRefused(op: () => Promise<unknown>, cap = 100) {
    for (let ok = 0; ok < cap; ok++) {
      try {
        await op();
      } catch (err) {
        return { ok, err };
      }
    }
    return { ok: cap, err: undefined };
  }

  it('refuses ForgotPassword with LimitExceededException after a few requests an hour, then allows it again', async () => {
    await h.confirmedUser(env.clientId, env.hash, email);
    const before = h.sent.length;
    const forgot = () => h.call('ForgotPassword', { ClientId: env.clientId, Username: email });
    const { ok, err } = await untilRefused(forgot);
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(20);
    expect(err).toMatchObject(limitExceeded);
    expect(h.sent.length - before).toBe(ok);
    h.clock.advance(3600_000);
    await forgot();
  });

  it('refuses ResendConfirmationCode with LimitExceededException after a few requests an hour', async () => {
    await h.call('SignUp', { ClientId: env.clientId, Username: email, Password: PASSWORD });
    const { ok, err } = await untilRefused(() =>
      h.call('ResendConfirmationCode', { ClientId: env.clientId, Username: email }),
    );
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(20);
    expect(err).toMatchObject(limitExceeded);
  });

  it('refuses GetUserAttributeVerificationCode with LimitExceededException after a few requests an hour', async () => {
    await h.confirmedUser(env.clientId, env.hash, email);
    const { AccessToken } = await h.signIn(env.clientId, email);
    const { ok, err } = await untilRefused(() =>
      h.call('GetUserAttributeVerificationCode', { AccessToken, AttributeName: 'email' }),
    );
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(20);
    expect(err).toMatchObject(limitExceeded);
  });

  it('counts wrong reset codes across re-issued codes, so a new code does not reset the guesses', async () => {
    await h.confirmedUser(env.clientId, env.hash, email);
    const confirm = (code: string) =>
      errorOf(
        h.call('ConfirmForgotPassword', {
          ClientId: env.clientId,
          Username: email,
          ConfirmationCode: code,
          Password: 'Guess3d-Pass!',
        }),
      );
    let mismatches = 0;
    // An attacker asks for a new code before each one would burn, and guesses on.
    for (let round = 0; round < 40; round++) {
      await h.call('ForgotPassword', { ClientId: env.clientId, Username: email }).catch(() => undefined);
      const wrong = h.code(email) === '000000' ? '111111' : '000000';
      for (let guess = 0; guess < 4; guess++) {
        const err = await confirm(wrong);
        if (err.code === 'CodeMismatchException') mismatches++;
        else expect(err).toMatchObject(limitExceeded);
      }
    }
    expect(mismatches).toBeLessThanOrEqual(20);
    // Once the budget is spent, even the right code is refused until the window passes.
    expect(await confirm(h.code(email))).toMatchObject(limitExceeded);
  });

  it('limits wrong sign-up codes per user across resent codes', async () => {
    await h.call('SignUp', { ClientId: env.clientId, Username: email, Password: PASSWORD });
    let mismatches = 0;
    for (let i = 0; i < 60; i++) {
      if (i % 5 === 0) {
        await h
          .call('ResendConfirmationCode', { ClientId: env.clientId, Username: email })
          .catch(() => undefined);
      }
      const err = await errorOf(
        h.call('ConfirmSignUp', {
          ClientId: env.clientId,
          Username: email,
          ConfirmationCode: h.code(email) === '000000' ? '111111' : '000000',
        }),
      );
      if (err.code === 'CodeMismatchException') mismatches++;
    }
    expect(mismatches).toBeLessThanOrEqual(20);
  });
});
