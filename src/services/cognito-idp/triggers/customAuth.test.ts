import { describe, expect, it } from 'vitest';
import type { FunctionInvoker, InvokeResult } from '../../../shared/invoker.js';
import { CognitoError } from '../errors.js';
import { createPoolTriggers, noTriggers } from './index.js';

const POOL = { id: 'us-east-1_AbCdEf123', region: 'us-east-1' };
const CLIENT = 'abcdefghijklmnopqrstuvwxyz';

/** A fake invoker: each call answers with `answer(event)` (a changed event, or a failure) and is remembered. */
function fakeInvoker(
  answer: (event: Record<string, unknown>) => Partial<InvokeResult> & { payload?: unknown },
) {
  const calls: { name: string; event: Record<string, unknown> }[] = [];
  const invoker: FunctionInvoker = {
    async invoke(name, event) {
      calls.push({ name, event: structuredClone(event) as Record<string, unknown> });
      const a = answer(structuredClone(event) as Record<string, unknown>);
      return { ok: true, requestId: 'r-1', durationMs: 1, coldStart: false, ...a } as InvokeResult;
    },
  };
  return { invoker, calls };
}
const respond = (response: Record<string, unknown>) => (event: Record<string, unknown>) => ({
  payload: { ...event, response: { ...(event.response as object), ...response } },
});
const triggers = (invoker: FunctionInvoker) =>
  createPoolTriggers({
    invoker,
    pool: {
      ...POOL,
      triggers: {
        DefineAuthChallenge: 'define',
        CreateAuthChallenge: 'create',
        VerifyAuthChallengeResponse: 'verify',
        UserMigration: 'migrate',
      },
    },
  });
async function cognitoError(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CognitoError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a CognitoError');
}
const who = {
  username: 'alice',
  userAttributes: { sub: 's-1', email: 'alice@example.com' },
  userStatus: 'CONFIRMED',
  clientId: CLIENT,
  userNotFound: false,
};

describe('custom authentication challenge triggers', () => {
  it("sends DefineAuthChallenge Cognito's event, with the session history, and reads its decision", async () => {
    const { invoker, calls } = fakeInvoker(
      respond({ challengeName: 'CUSTOM_CHALLENGE', issueTokens: false }),
    );
    const r = await triggers(invoker).defineAuthChallenge({
      ...who,
      clientMetadata: { k: 'v' },
      session: [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'Q1' },
      ],
    });
    expect(r).toEqual({ challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false });
    expect(calls[0]).toEqual({
      name: 'define',
      event: {
        version: '1',
        triggerSource: 'DefineAuthChallenge_Authentication',
        region: 'us-east-1',
        userPoolId: POOL.id,
        userName: 'alice',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT },
        request: {
          userAttributes: { sub: 's-1', email: 'alice@example.com', 'cognito:user_status': 'CONFIRMED' },
          session: [
            { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
            { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'Q1' },
          ],
          userNotFound: false,
          clientMetadata: { k: 'v' },
        },
        response: { challengeName: null, issueTokens: null, failAuthentication: null },
      },
    });
  });

  it('reads CreateAuthChallenge parameters as strings and refuses anything else', async () => {
    const ok = fakeInvoker(
      respond({
        publicChallengeParameters: { question: 'Q?', attempts: 2, last: false },
        privateChallengeParameters: { answer: '4' },
        challengeMetadata: 'Q1',
      }),
    );
    const r = await triggers(ok.invoker).createAuthChallenge({
      ...who,
      challengeName: 'CUSTOM_CHALLENGE',
      session: [],
    });
    expect(r).toEqual({
      publicChallengeParameters: { question: 'Q?', attempts: '2', last: 'false' },
      privateChallengeParameters: { answer: '4' },
      challengeMetadata: 'Q1',
    });
    expect(ok.calls[0]?.event.request).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', session: [] });
    const bad = fakeInvoker(respond({ publicChallengeParameters: { nested: { no: 1 } } }));
    expect(
      await cognitoError(
        triggers(bad.invoker).createAuthChallenge({ ...who, challengeName: 'CUSTOM_CHALLENGE', session: [] }),
      ),
    ).toEqual({ code: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
  });

  it('takes a missing answerCorrect as a wrong answer, and maps failures as every trigger does', async () => {
    const silent = fakeInvoker((e) => ({ payload: e }));
    const verify = {
      ...who,
      privateChallengeParameters: { answer: '4' },
      challengeAnswer: '4',
    };
    expect(await triggers(silent.invoker).verifyAuthChallengeResponse(verify)).toBe(false);
    expect(silent.calls[0]?.event.request).toEqual({
      userAttributes: { sub: 's-1', email: 'alice@example.com', 'cognito:user_status': 'CONFIRMED' },
      privateChallengeParameters: { answer: '4' },
      challengeAnswer: '4',
      userNotFound: false,
    });
    const missing = fakeInvoker(() => ({
      ok: false,
      kind: 'NotFound',
      errorType: 'ResourceNotFoundException',
      errorMessage: 'no',
    }));
    expect(await cognitoError(triggers(missing.invoker).verifyAuthChallengeResponse(verify))).toEqual({
      code: 'UnexpectedLambdaException',
      message: 'VerifyAuthChallengeResponse invocation failed due to error ResourceNotFoundException.',
    });
    const thrown = fakeInvoker(() => ({
      ok: false,
      kind: 'Unhandled',
      errorType: 'Error',
      errorMessage: 'boom',
    }));
    expect(await cognitoError(triggers(thrown.invoker).defineAuthChallenge({ ...who, session: [] }))).toEqual(
      {
        code: 'UserLambdaValidationException',
        message: 'DefineAuthChallenge failed with error boom.',
      },
    );
  });
});

describe('UserMigration trigger', () => {
  it('sends the password only at sign-in and reads the user to create', async () => {
    const { invoker, calls } = fakeInvoker(
      respond({
        userAttributes: { email: 'old@example.com', email_verified: 'true' },
        finalUserStatus: 'RESET_REQUIRED',
        messageAction: 'SUPPRESS',
        desiredDeliveryMediums: ['EMAIL'],
        forceAliasCreation: true,
      }),
    );
    const t = triggers(invoker);
    const r = await t.userMigration({
      triggerSource: 'UserMigration_Authentication',
      username: 'old@example.com',
      password: 'p4ss',
      clientId: CLIENT,
    });
    expect(r).toEqual({
      userAttributes: { email: 'old@example.com', email_verified: 'true' },
      finalUserStatus: 'RESET_REQUIRED',
      messageAction: 'SUPPRESS',
      desiredDeliveryMediums: ['EMAIL'],
      forceAliasCreation: true,
    });
    expect(calls[0]?.event).toMatchObject({
      triggerSource: 'UserMigration_Authentication',
      userName: 'old@example.com',
      request: { password: 'p4ss', validationData: null },
    });
    await t.userMigration({ triggerSource: 'UserMigration_ForgotPassword', username: 'old@example.com' });
    expect(calls[1]?.event.request).toEqual({ validationData: null });
  });

  it('reads "User not found" and an answer without attributes as no user, and refuses a bad status', async () => {
    const notFound = fakeInvoker(() => ({
      ok: false,
      kind: 'Unhandled',
      errorType: 'Error',
      errorMessage: 'User not found',
    }));
    const input = { triggerSource: 'UserMigration_ForgotPassword' as const, username: 'x' };
    expect(await triggers(notFound.invoker).userMigration(input)).toBeUndefined();
    const empty = fakeInvoker((e) => ({ payload: e }));
    expect(await triggers(empty.invoker).userMigration(input)).toBeUndefined();
    const bad = fakeInvoker(
      respond({ userAttributes: { email: 'x@example.com' }, finalUserStatus: 'ACTIVE' }),
    );
    expect(await cognitoError(triggers(bad.invoker).userMigration(input))).toEqual({
      code: 'InvalidLambdaResponseException',
      message: 'Unrecognizable lambda output',
    });
  });

  it('answers undefined without invoking anything when the pool has none of these triggers', async () => {
    expect(await noTriggers.defineAuthChallenge({ ...who, session: [] })).toBeUndefined();
    expect(
      await noTriggers.createAuthChallenge({ ...who, challengeName: 'CUSTOM_CHALLENGE', session: [] }),
    ).toBeUndefined();
    expect(
      await noTriggers.verifyAuthChallengeResponse({
        ...who,
        privateChallengeParameters: {},
        challengeAnswer: 'a',
      }),
    ).toBeUndefined();
    expect(
      await noTriggers.userMigration({
        triggerSource: 'UserMigration_Authentication',
        username: 'u',
        password: 'p',
      }),
    ).toBeUndefined();
  });
});
