import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import type { TriggerTarget } from './invoke.js';
import { invokeTrigger, optionalString } from './invoke.js';
import type { CustomMessageInput, CustomMessageResult } from './types.js';

/** The link placeholder Cognito offers for link-style verification messages. */
export const LINK_PARAMETER = '{##Click Here##}';

/**
 * Custom message: the function may replace the email subject and body and the SMS text.
 *
 * A body must contain the code placeholder (and, for AdminCreateUser, the user-name placeholder), else the user
 * could never see their code. Cognito then falls back to the pool's own message rather than failing the call
 * (reported for AdminCreateUser: the custom subject arrives with the default body) [unverified for the other
 * sources]: such a body is dropped here and the sender keeps its default. The decision lives only here.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
 */
export async function customMessage(
  target: TriggerTarget,
  pool: PoolRef,
  i: CustomMessageInput,
): Promise<CustomMessageResult | undefined> {
  const usernameParameter =
    i.triggerSource === 'CustomMessage_AdminCreateUser' ? (i.usernameParameter ?? '{username}') : null;
  const event = commonEvent(pool, {
    triggerSource: i.triggerSource,
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      {
        userAttributes: i.userAttributes,
        codeParameter: i.codeParameter,
        linkParameter: LINK_PARAMETER,
        usernameParameter,
      },
      i.clientMetadata,
    ),
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  const r = await invokeTrigger(target, 'CustomMessage', event);
  const usable = (body: string | undefined): string | undefined => {
    if (body === undefined || !body.includes(i.codeParameter)) return undefined;
    return usernameParameter === null || body.includes(usernameParameter) ? body : undefined;
  };
  const out: CustomMessageResult = {};
  const emailMessage = usable(optionalString(r.emailMessage));
  const emailSubject = optionalString(r.emailSubject);
  const smsMessage = usable(optionalString(r.smsMessage));
  if (emailMessage !== undefined) out.emailMessage = emailMessage;
  if (emailSubject !== undefined && emailSubject !== '') out.emailSubject = emailSubject;
  if (smsMessage !== undefined) out.smsMessage = smsMessage;
  return Object.keys(out).length === 0 ? undefined : out;
}
