import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import type { TriggerTarget } from './invoke.js';
import { invokeTrigger, optionalBoolean } from './invoke.js';
import type { PreSignUpInput, PreSignUpResult } from './types.js';

/**
 * Pre sign-up: the function may reject the sign-up (by failing) or confirm the user and verify their email or
 * phone at once.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export async function preSignUp(
  target: TriggerTarget,
  pool: PoolRef,
  i: PreSignUpInput,
): Promise<PreSignUpResult> {
  const event = commonEvent(pool, {
    triggerSource: i.triggerSource,
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      { userAttributes: i.userAttributes, validationData: i.validationData ?? null },
      i.clientMetadata,
    ),
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const r = await invokeTrigger(target, 'PreSignUp', event);
  return {
    autoConfirmUser: optionalBoolean(r.autoConfirmUser),
    autoVerifyEmail: optionalBoolean(r.autoVerifyEmail),
    autoVerifyPhone: optionalBoolean(r.autoVerifyPhone),
  };
}
