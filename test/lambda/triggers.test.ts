import { afterEach, describe, expect, it } from 'vitest';
import { CognitoError } from '../../src/services/cognito-idp/errors.js';
import { createPoolTriggers } from '../../src/services/cognito-idp/triggers/index.js';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION } from './helpers.js';

const runtimes: LambdaRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  cleanup();
});

// A pre sign-up function as people write them: CommonJS, callback style, returns the event.
const PRE_SIGN_UP = `exports.handler = (event, context, callback) => {
  const email = event.request.userAttributes.email || '';
  if (!email.endsWith('@example.com')) return callback(new Error('Bad domain'));
  if (email === 'slow@example.com') return setTimeout(() => callback(null, event), 60000); // answers too late
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = true;
  callback(null, event);
};`;

const PRE_TOKEN = `export const handler = async (event) => {
  event.response.claimsOverrideDetails = {
    claimsToAddOrOverride: { pool: event.userPoolId, source: event.triggerSource },
    claimsToSuppress: ['email'],
  };
  return event;
};`;

async function cognitoError(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CognitoError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a CognitoError');
}

function setup(timeoutMs?: number) {
  const rt = new LambdaRuntime({
    functions: [
      fn('pre-sign-up', codeDir({ 'index.js': PRE_SIGN_UP }), { timeout: 0.5 }),
      fn('pre-token', codeDir({ 'index.mjs': PRE_TOKEN })),
    ],
    log: memoryLogger(),
    region: REGION,
    accountId: ACCOUNT,
    consoleSink: () => {},
  });
  runtimes.push(rt);
  return createPoolTriggers({
    invoker: rt,
    pool: {
      id: 'us-east-1_AbCdEf123',
      region: REGION,
      triggers: {
        PreSignUp: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:pre-sign-up`,
        PreTokenGeneration: 'pre-token',
      },
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

const signUp = (email: string) => ({
  clientId: 'abcdefghijklmnopqrstuvwxyz',
  username: email,
  userAttributes: { email },
  triggerSource: 'PreSignUp_SignUp' as const,
});

describe('Cognito triggers through the Lambda runtime', () => {
  it('auto-confirms through a real callback-style PreSignUp function and rejects a bad domain', async () => {
    const t = setup();
    expect(await t.preSignUp(signUp('alice@example.com'))).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
    expect(await cognitoError(t.preSignUp(signUp('mallory@evil.test')))).toEqual({
      code: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Bad domain.',
    });
  });

  it('adds and suppresses ID token claims through a real PreTokenGeneration function', async () => {
    const t = setup();
    const r = await t.preTokenGeneration({
      clientId: 'abcdefghijklmnopqrstuvwxyz',
      username: 'alice',
      userAttributes: { sub: 's-1', email: 'alice@example.com' },
      groups: [],
      scopes: ['openid'],
      triggerSource: 'TokenGeneration_HostedAuth',
    });
    expect(r).toEqual({
      idClaimsOverride: {
        add: { pool: 'us-east-1_AbCdEf123', source: 'TokenGeneration_HostedAuth' },
        suppress: ['email'],
      },
    });
  });

  it("maps the function's own timeout to a validation failure and Cognito's limit to an unexpected one", async () => {
    const t = setup();
    const own = await cognitoError(t.preSignUp(signUp('slow@example.com')));
    expect(own.code).toBe('UserLambdaValidationException');
    expect(own.message).toMatch(
      /^PreSignUp failed with error \S+Z [0-9a-f-]{36} Task timed out after 0\.50 seconds\.$/,
    );
    const impatient = setup(50);
    expect(await cognitoError(impatient.preSignUp(signUp('slow@example.com')))).toEqual({
      code: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
  });
});
