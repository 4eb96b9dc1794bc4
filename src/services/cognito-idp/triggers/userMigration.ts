import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import {
  invokeTrigger,
  isObject,
  optionalBoolean,
  optionalString,
  stringList,
  type TriggerTarget,
  unrecognizable,
} from './invoke.js';
import type { UserMigrationInput, UserMigrationResult } from './types.js';

/**
 * What a migration function throws to say "no such user in the old directory". Cognito then answers as for any
 * unknown user (UserNotFoundException, or the client's PreventUserExistenceErrors answer) rather than reporting a
 * Lambda failure [unverified: the exact message Cognito matches on].
 */
export const MIGRATION_USER_NOT_FOUND = 'User not found';

/**
 * Migrate user: Cognito calls it for a user it does not know, at a password sign-in (with the password) or at
 * ForgotPassword (without), and creates the user from its answer. Returns undefined when the function found no
 * user (it failed with "User not found", or answered without attributes). Other failures map as every trigger's do.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
 */
export async function userMigration(
  target: TriggerTarget,
  pool: PoolRef,
  i: UserMigrationInput,
): Promise<UserMigrationResult | undefined> {
  const request: Record<string, unknown> = {};
  if (i.password !== undefined) request.password = i.password;
  request.validationData = i.validationData ?? null;
  const event = commonEvent(pool, {
    triggerSource: i.triggerSource,
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(request, i.clientMetadata),
    response: {
      userAttributes: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
    },
  });
  let r: Record<string, unknown>;
  try {
    r = await invokeTrigger(target, 'UserMigration', event);
  } catch (err) {
    if (
      err instanceof Error &&
      err.message === `UserMigration failed with error ${MIGRATION_USER_NOT_FOUND}.`
    ) {
      return undefined;
    }
    throw err;
  }
  if (r.userAttributes === undefined || r.userAttributes === null) return undefined;
  if (!isObject(r.userAttributes)) throw unrecognizable();
  const userAttributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.userAttributes)) {
    if (typeof v !== 'string') throw unrecognizable();
    userAttributes[k] = v;
  }
  const status = optionalString(r.finalUserStatus);
  if (status !== undefined && status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw unrecognizable();
  const action = optionalString(r.messageAction);
  if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') throw unrecognizable();
  const mediums = stringList(r.desiredDeliveryMediums);
  if (mediums?.some((m) => m !== 'EMAIL' && m !== 'SMS')) throw unrecognizable();
  return {
    userAttributes,
    finalUserStatus: status ?? 'CONFIRMED',
    ...(action === 'SUPPRESS' ? { messageAction: 'SUPPRESS' as const } : {}),
    ...(mediums?.length ? { desiredDeliveryMediums: mediums as ('EMAIL' | 'SMS')[] } : {}),
    forceAliasCreation: optionalBoolean(r.forceAliasCreation),
  };
}
