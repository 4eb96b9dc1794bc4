import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import { invokeTrigger, type TriggerTarget } from './invoke.js';
import type { PostAuthenticationInput, PreAuthenticationInput } from './types.js';

/**
 * Pre authentication: runs when a user signs in, before the password is checked. Its response carries nothing; a
 * function error refuses the sign-in ("PreAuthentication failed with error ...", UserLambdaValidationException).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-authentication.html
 */
export async function preAuthentication(
  target: TriggerTarget,
  pool: PoolRef,
  i: PreAuthenticationInput,
): Promise<void> {
  const event = commonEvent(pool, {
    triggerSource: 'PreAuthentication_Authentication',
    userName: i.username,
    clientId: i.clientId,
    request: {
      userAttributes: i.userAttributes,
      userNotFound: false,
      ...(i.validationData ? { validationData: i.validationData } : {}),
    },
    response: {},
  });
  await invokeTrigger(target, 'PreAuthentication', event);
}

/**
 * Post authentication: runs after a user signed in (every factor passed), before the tokens are returned; a function
 * error refuses the sign-in.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-authentication.html
 */
export async function postAuthentication(
  target: TriggerTarget,
  pool: PoolRef,
  i: PostAuthenticationInput,
): Promise<void> {
  const event = commonEvent(pool, {
    triggerSource: 'PostAuthentication_Authentication',
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      { userAttributes: i.userAttributes, newDeviceUsed: i.newDeviceUsed },
      i.clientMetadata,
    ),
    response: {},
  });
  await invokeTrigger(target, 'PostAuthentication', event);
}
