import { afterEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';
import type { FunctionInvoker, InvokeResult } from '../../../shared/invoker.js';
import { createPoolTriggers } from './index.js';

const POOL = { id: 'us-east-1_AbCdEf123', region: 'us-east-1' };

/** A fake Lambda runtime: each function name answers with `answer`, and every event is kept. */
function fakeInvoker(answer: (name: string, event: Record<string, unknown>) => Partial<InvokeResult>) {
  const calls: { name: string; event: Record<string, unknown> }[] = [];
  const invoker: FunctionInvoker = {
    async invoke(name, event) {
      calls.push({ name, event: structuredClone(event) as Record<string, unknown> });
      return {
        ok: true,
        requestId: 'r-1',
        durationMs: 1,
        coldStart: false,
        payload: event,
        ...answer(name, event as Record<string, unknown>),
      } as InvokeResult;
    },
  };
  return { invoker, calls };
}

describe('PreAuthentication and PostAuthentication triggers', () => {
  let h: ServiceHarness | undefined;
  afterEach(() => h?.close());

  const harness = (answer: Parameters<typeof fakeInvoker>[0]) => {
    const fake = fakeInvoker(answer);
    h = serviceHarness({
      triggers: createPoolTriggers({
        invoker: fake.invoker,
        pool: { ...POOL, triggers: { PreAuthentication: 'pre-auth', PostAuthentication: 'post-auth' } },
      }),
    });
    return { h, calls: fake.calls };
  };

  it('runs PreAuthentication before the password and PostAuthentication before the tokens, in Cognito shapes', async () => {
    const { h, calls } = harness(() => ({}));
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'a@example.com');
    await h.signIn(clientId, 'a@example.com');
    expect(calls.map((c) => [c.name, c.event.triggerSource])).toEqual([
      ['pre-auth', 'PreAuthentication_Authentication'],
      ['post-auth', 'PostAuthentication_Authentication'],
    ]);
    expect(calls[0]?.event).toMatchObject({
      version: '1',
      callerContext: { clientId },
      request: { userAttributes: { email: 'a@example.com' }, userNotFound: false },
      response: {},
    });
    expect(calls[1]?.event).toMatchObject({
      request: { userAttributes: { email: 'a@example.com' }, newDeviceUsed: false },
    });
    // A wrong password still runs PreAuthentication, and never PostAuthentication.
    calls.length = 0;
    await errorOf(h.signIn(clientId, 'a@example.com', `${PASSWORD}x`));
    expect(calls.map((c) => c.name)).toEqual(['pre-auth']);
  });

  it('refuses the sign-in with UserLambdaValidationException when either function fails', async () => {
    let failing = 'pre-auth';
    const { h } = harness((name) =>
      name === failing
        ? { ok: false, kind: 'Unhandled', errorType: 'Error', errorMessage: 'no sign-ins today' }
        : {},
    );
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'b@example.com');
    expect(await errorOf(h.signIn(clientId, 'b@example.com'))).toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'PreAuthentication failed with error no sign-ins today.',
    });
    failing = 'post-auth';
    expect(await errorOf(h.signIn(clientId, 'b@example.com'))).toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'PostAuthentication failed with error no sign-ins today.',
    });
  });
});
