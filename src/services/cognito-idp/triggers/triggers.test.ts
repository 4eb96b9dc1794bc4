import { describe, expect, it } from 'vitest';
import type { FunctionInvoker, InvokeResult } from '../../../shared/invoker.js';
import { CognitoError } from '../errors.js';
import {
  createPoolTriggers,
  noTriggers,
  type PoolTriggersOptions,
  preTokenGenerationVersionOf,
} from './index.js';

const POOL = { id: 'us-east-1_AbCdEf123', region: 'us-east-1' };
const CLIENT = 'abcdefghijklmnopqrstuvwxyz';

/** A fake invoker: answers each call with `answer(event)` and remembers what it was asked. */
function fakeInvoker(
  answer: (event: Record<string, unknown>) => Partial<InvokeResult> & { payload?: unknown },
) {
  const calls: { name: string; event: Record<string, unknown>; timeoutMs: number | undefined }[] = [];
  const invoker: FunctionInvoker = {
    async invoke(name, event, options) {
      calls.push({ name, event: event as Record<string, unknown>, timeoutMs: options?.timeoutMs });
      const a = answer(structuredClone(event) as Record<string, unknown>);
      return { ok: true, requestId: 'r-1', durationMs: 1, coldStart: false, ...a } as InvokeResult;
    },
  };
  return { invoker, calls };
}

/** The function hands back the event it received, changed by `edit`, as a Cognito trigger does. */
function returnsEvent(edit: (e: { response: Record<string, unknown> }) => void) {
  return (event: Record<string, unknown>) => {
    const e = event as { response: Record<string, unknown> };
    edit(e);
    return { payload: e };
  };
}

function triggers(
  invoker: FunctionInvoker,
  over: Partial<PoolTriggersOptions['pool']> = {},
): ReturnType<typeof createPoolTriggers> {
  return createPoolTriggers({
    invoker,
    pool: {
      ...POOL,
      triggers: {
        PreSignUp: 'pre',
        PostConfirmation: 'post',
        PreTokenGeneration: 'ptg',
        CustomMessage: 'msg',
      },
      ...over,
    },
  });
}

async function cognitoError(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CognitoError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a CognitoError');
}

const signUp = {
  clientId: CLIENT,
  username: 'alice',
  userAttributes: { email: 'alice@example.com' },
  triggerSource: 'PreSignUp_SignUp' as const,
};

describe('PreSignUp', () => {
  it("sends Cognito's event shape and honours autoConfirmUser and autoVerifyEmail", async () => {
    const { invoker, calls } = fakeInvoker(
      returnsEvent((e) => {
        e.response.autoConfirmUser = true;
        e.response.autoVerifyEmail = true;
      }),
    );
    const r = await triggers(invoker).preSignUp({ ...signUp, clientMetadata: { invite: 'x1' } });
    expect(r).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe('pre');
    expect(calls[0]?.timeoutMs).toBe(5000);
    expect(calls[0]?.event).toEqual({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: POOL.id,
      userName: 'alice',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT },
      request: {
        userAttributes: { email: 'alice@example.com' },
        validationData: null,
        clientMetadata: { invite: 'x1' },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it('names no client for AdminCreateUser', async () => {
    const { invoker, calls } = fakeInvoker(returnsEvent(() => {}));
    await triggers(invoker).preSignUp({
      username: 'bob',
      userAttributes: {},
      validationData: { k: 'v' },
      triggerSource: 'PreSignUp_AdminCreateUser',
    });
    expect(calls[0]?.event).toMatchObject({
      triggerSource: 'PreSignUp_AdminCreateUser',
      callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
      request: { validationData: { k: 'v' } },
    });
    expect(calls[0]?.event.request).not.toHaveProperty('clientMetadata');
  });

  it('turns a thrown error into UserLambdaValidationException with Cognito wording', async () => {
    const { invoker } = fakeInvoker(() => ({
      ok: false,
      kind: 'Unhandled',
      errorType: 'Error',
      errorMessage: 'Bad domain',
    }));
    expect(await cognitoError(triggers(invoker).preSignUp(signUp))).toEqual({
      code: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Bad domain.',
    });
  });

  it('reports a crash or the function running out of time as a validation failure with its message', async () => {
    const crash = fakeInvoker(() => ({
      ok: false,
      kind: 'Crash',
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: r-1 Error: Runtime exited with error: exit status 129',
    }));
    expect(await cognitoError(triggers(crash.invoker).preSignUp(signUp))).toEqual({
      code: 'UserLambdaValidationException',
      message:
        'PreSignUp failed with error RequestId: r-1 Error: Runtime exited with error: exit status 129.',
    });
    const slow = fakeInvoker(() => ({
      ok: false,
      kind: 'Timeout',
      errorType: 'Sandbox.Timedout',
      errorMessage: '2026-01-01T00:00:00.000Z r-1 Task timed out after 3.00 seconds',
    }));
    expect(await cognitoError(triggers(slow.invoker).preSignUp(signUp))).toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error 2026-01-01T00:00:00.000Z r-1 Task timed out after 3.00 seconds.',
    });
  });

  it("reports Cognito's own 5 second limit and a missing function as UnexpectedLambdaException", async () => {
    const late = fakeInvoker(() => ({
      ok: false,
      kind: 'Timeout',
      errorType: 'Invoke.Timeout',
      errorMessage: 'The caller stopped waiting after 5000 ms',
    }));
    expect(await cognitoError(triggers(late.invoker).preSignUp(signUp))).toEqual({
      code: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    const missing = fakeInvoker(() => ({
      ok: false,
      kind: 'NotFound',
      errorType: 'ResourceNotFoundException',
      errorMessage: 'Function not found',
    }));
    expect(await cognitoError(triggers(missing.invoker).preSignUp(signUp))).toEqual({
      code: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
  });

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['an array', []],
    ['a non-object response', { response: 'yes' }],
    ['a non-boolean autoConfirmUser', { response: { autoConfirmUser: 'true' } }],
  ])('rejects %s as an unrecognizable output', async (_what, payload) => {
    const { invoker } = fakeInvoker(() => ({ payload }));
    expect(await cognitoError(triggers(invoker).preSignUp(signUp))).toEqual({
      code: 'InvalidLambdaResponseException',
      message: 'Unrecognizable lambda output',
    });
  });
});

describe('PostConfirmation', () => {
  it('sends the confirmed user and maps a failure', async () => {
    const ok = fakeInvoker(returnsEvent(() => {}));
    const input = {
      clientId: CLIENT,
      username: 'alice',
      userAttributes: { sub: 's-1', 'cognito:user_status': 'CONFIRMED', email: 'alice@example.com' },
      triggerSource: 'PostConfirmation_ConfirmSignUp' as const,
    };
    await expect(triggers(ok.invoker).postConfirmation(input)).resolves.toBeUndefined();
    expect(ok.calls[0]?.event).toMatchObject({
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: input.userAttributes },
      response: {},
    });
    const failing = fakeInvoker(() => ({
      ok: false,
      kind: 'Unhandled',
      errorType: 'Error',
      errorMessage: 'db down',
    }));
    expect(await cognitoError(triggers(failing.invoker).postConfirmation(input))).toEqual({
      code: 'UserLambdaValidationException',
      message: 'PostConfirmation failed with error db down.',
    });
  });
});

const tokenInput = {
  clientId: CLIENT,
  username: 'alice',
  userAttributes: { sub: 's-1', email: 'alice@example.com' },
  groups: ['admins'],
  scopes: ['openid', 'email'],
  triggerSource: 'TokenGeneration_Authentication' as const,
};

describe('PreTokenGeneration', () => {
  it('sends a V1 event and returns ID token claims to add and suppress, never protected ones', async () => {
    const { invoker, calls } = fakeInvoker(
      returnsEvent((e) => {
        e.response.claimsOverrideDetails = {
          claimsToAddOrOverride: { tenant: 'acme', level: 3, sub: 'forged', email: 'x@y.z' },
          claimsToSuppress: ['email', 'token_use'],
        };
      }),
    );
    const r = await triggers(invoker).preTokenGeneration(tokenInput);
    expect(calls[0]?.event).toEqual({
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      region: 'us-east-1',
      userPoolId: POOL.id,
      userName: 'alice',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: CLIENT },
      request: {
        userAttributes: tokenInput.userAttributes,
        groupConfiguration: { groupsToOverride: ['admins'], iamRolesToOverride: [], preferredRole: null },
      },
      response: { claimsOverrideDetails: null },
    });
    // email is both added and suppressed: suppressed wins. sub and token_use are protected.
    expect(r).toEqual({ idClaimsOverride: { add: { tenant: 'acme', level: '3' }, suppress: ['email'] } });
  });

  it('replaces the groups when the function sends groupOverrideDetails, and removes them when it is null', async () => {
    const set = fakeInvoker(
      returnsEvent((e) => {
        e.response.claimsOverrideDetails = { groupOverrideDetails: { groupsToOverride: ['a', 'b'] } };
      }),
    );
    expect(await triggers(set.invoker).preTokenGeneration(tokenInput)).toEqual({
      groupOverride: { groupsToOverride: ['a', 'b'] },
    });
    const cleared = fakeInvoker(
      returnsEvent((e) => {
        e.response.claimsOverrideDetails = { groupOverrideDetails: null };
      }),
    );
    expect(await triggers(cleared.invoker).preTokenGeneration(tokenInput)).toEqual({
      groupOverride: { groupsToOverride: [] },
    });
    const untouched = fakeInvoker(returnsEvent(() => {}));
    expect(await triggers(untouched.invoker).preTokenGeneration(tokenInput)).toEqual({});
  });

  it('rejects a V1 claim that is an object', async () => {
    const { invoker } = fakeInvoker(
      returnsEvent((e) => {
        e.response.claimsOverrideDetails = { claimsToAddOrOverride: { nested: { a: 1 } } };
      }),
    );
    expect(await cognitoError(triggers(invoker).preTokenGeneration(tokenInput))).toMatchObject({
      code: 'InvalidLambdaResponseException',
    });
  });

  it('sends a V2 event with scopes and returns access token claims and scopes', async () => {
    const { invoker, calls } = fakeInvoker(
      returnsEvent((e) => {
        e.response.claimsAndScopeOverrideDetails = {
          idTokenGeneration: { claimsToAddOrOverride: { roles: ['a', 'b'] } },
          accessTokenGeneration: {
            claimsToAddOrOverride: { plan: { tier: 'gold' } },
            claimsToSuppress: ['scope'],
            scopesToAdd: ['person/read'],
            scopesToSuppress: ['email'],
          },
        };
      }),
    );
    const r = await triggers(invoker, { preTokenGenerationVersion: 'V2_0' }).preTokenGeneration(tokenInput);
    expect(calls[0]?.event).toMatchObject({
      version: '2',
      request: { scopes: ['openid', 'email'] },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(r).toEqual({
      idClaimsOverride: { add: { roles: ['a', 'b'] } },
      accessClaimsOverride: {
        add: { plan: { tier: 'gold' } },
        scopesToAdd: ['person/read'],
        scopesToSuppress: ['email'],
      },
    });
  });

  it('calls only a V3_0 function for client-credentials tokens', async () => {
    const v2 = fakeInvoker(returnsEvent(() => {}));
    const input = { ...tokenInput, triggerSource: 'TokenGeneration_ClientCredentials' };
    expect(
      await triggers(v2.invoker, { preTokenGenerationVersion: 'V2_0' }).preTokenGeneration(input),
    ).toEqual({});
    expect(v2.calls).toHaveLength(0);
    const v3 = fakeInvoker(returnsEvent(() => {}));
    await triggers(v3.invoker, { preTokenGenerationVersion: 'V3_0' }).preTokenGeneration(input);
    expect(v3.calls[0]?.event).toMatchObject({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
    });
  });

  it('reads the event version from the user pool properties', () => {
    expect(preTokenGenerationVersionOf({})).toBe('V1_0');
    expect(
      preTokenGenerationVersionOf({ LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0' } } }),
    ).toBe('V2_0');
  });
});

const message = {
  clientId: CLIENT,
  username: 'alice',
  userAttributes: { email: 'alice@example.com' },
  codeParameter: '{####}',
  triggerSource: 'CustomMessage_SignUp',
};

describe('CustomMessage', () => {
  it('sends the placeholders and returns the customised message', async () => {
    const { invoker, calls } = fakeInvoker(
      returnsEvent((e) => {
        e.response.emailSubject = 'Welcome';
        e.response.emailMessage = 'Your code is {####}';
      }),
    );
    expect(await triggers(invoker).customMessage(message)).toEqual({
      emailSubject: 'Welcome',
      emailMessage: 'Your code is {####}',
    });
    expect(calls[0]?.event).toMatchObject({
      triggerSource: 'CustomMessage_SignUp',
      request: { codeParameter: '{####}', linkParameter: '{##Click Here##}', usernameParameter: null },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
  });

  it('keeps the default body when the custom one has no code placeholder', async () => {
    const { invoker } = fakeInvoker(
      returnsEvent((e) => {
        e.response.emailSubject = 'Welcome';
        e.response.emailMessage = 'Your code is 123456';
        e.response.smsMessage = 'code: {####}';
      }),
    );
    expect(await triggers(invoker).customMessage(message)).toEqual({
      emailSubject: 'Welcome',
      smsMessage: 'code: {####}',
    });
  });

  it('requires the user-name placeholder too for AdminCreateUser', async () => {
    const { invoker, calls } = fakeInvoker(
      returnsEvent((e) => {
        e.response.emailMessage = 'Temporary password {####}';
      }),
    );
    const input = { ...message, clientId: undefined, triggerSource: 'CustomMessage_AdminCreateUser' };
    expect(await triggers(invoker).customMessage(input)).toBeUndefined();
    expect(calls[0]?.event).toMatchObject({ request: { usernameParameter: '{username}' } });
  });

  it('answers undefined when the function changes nothing', async () => {
    const { invoker } = fakeInvoker(returnsEvent(() => {}));
    expect(await triggers(invoker).customMessage(message)).toBeUndefined();
  });
});

describe('pools without triggers', () => {
  it('resolve to the defaults without invoking anything', async () => {
    const { invoker, calls } = fakeInvoker(returnsEvent(() => {}));
    const t = triggers(invoker, { triggers: {} });
    expect(await t.preSignUp(signUp)).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
    expect(await t.preTokenGeneration(tokenInput)).toEqual({});
    expect(await t.customMessage(message)).toBeUndefined();
    await t.postConfirmation({
      username: 'a',
      userAttributes: {},
      triggerSource: 'PostConfirmation_ConfirmSignUp',
    });
    expect(calls).toHaveLength(0);
    expect(await noTriggers.preSignUp(signUp)).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});
