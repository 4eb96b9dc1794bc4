import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import type { TriggerTarget } from './invoke.js';
import { invokeTrigger } from './invoke.js';
import type { PostConfirmationInput } from './types.js';

/**
 * Post confirmation: runs after a user is confirmed; its response carries nothing, but a failure fails the
 * confirmation call (the user stays confirmed, as in Cognito).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
export async function postConfirmation(
  target: TriggerTarget,
  pool: PoolRef,
  i: PostConfirmationInput,
): Promise<void> {
  const event = commonEvent(pool, {
    triggerSource: i.triggerSource,
    userName: i.username,
    clientId: i.clientId,
    // Real events list the user's status among the attributes (captured: "cognito:user_status": "CONFIRMED");
    // the service's attribute map does not hold it, and after a confirmation it can only be CONFIRMED.
    request: withClientMetadata(
      { userAttributes: { ...i.userAttributes, 'cognito:user_status': 'CONFIRMED' } },
      i.clientMetadata,
    ),
    response: {},
  });
  await invokeTrigger(target, 'PostConfirmation', event);
}
