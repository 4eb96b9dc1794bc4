/** Passwords by their owner: ForgotPassword, ConfirmForgotPassword, ChangePassword. */
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord } from '../../../../store/index.js';
import {
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../errors.js';
import { checkPasswordPolicy } from '../passwords.js';
import { passwordPolicy, preventUserExistenceErrors } from '../settings.js';
import { migrateUser } from '../userMigration.js';
import { type AccountCtx, recoveryMedium, setPassword, simulatedDelivery } from './shared.js';

/**
 * ForgotPassword: a 1-hour code, in its own slot, to a verified contact; limited per user.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
 */
export async function forgotPassword(
  ctx: AccountCtx,
  client: ClientRecord,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetailsType> {
  const { core } = ctx;
  const pool = core.requirePool(client.poolId);
  const user =
    core.findUser(pool, username) ??
    (await migrateUser(core, client, {
      triggerSource: 'UserMigration_ForgotPassword',
      username,
      ...(clientMetadata ? { clientMetadata } : {}),
    }));
  const hide = preventUserExistenceErrors(client) === 'ENABLED';
  if (!user) {
    if (hide) return simulatedDelivery(username);
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  if (!user.enabled) {
    if (hide) return simulatedDelivery(username);
    throw new NotAuthorizedException('User is disabled.');
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    throw new NotAuthorizedException('User password cannot be reset in the current state.');
  }
  const medium = recoveryMedium(pool, user);
  if (!medium) {
    if (hide) return simulatedDelivery(username);
    throw new InvalidParameterException(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  core.limitCodeRequest(pool, user, 'forgot');
  return core.deliver(pool, user, medium, 'ForgotPassword', core.newCode(pool, user, 'forgot'), client.id);
}

/**
 * ConfirmForgotPassword: code + new password; the user ends CONFIRMED. Consuming the code is the compare-and-set:
 * of concurrent calls with the right code exactly one succeeds.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
 */
export async function confirmForgotPassword(
  ctx: AccountCtx,
  client: ClientRecord,
  req: { username: string; code: string; password: string },
): Promise<void> {
  const { core } = ctx;
  const pool = core.requirePool(client.poolId);
  const user = core.findUser(pool, req.username);
  const hide = preventUserExistenceErrors(client) === 'ENABLED';
  if (!user?.enabled) {
    if (hide) throw new CodeMismatchException('Invalid verification code provided, please try again.');
    if (!user) throw new UserNotFoundException('Username/client id combination not found.');
    throw new NotAuthorizedException('User is disabled.');
  }
  checkPasswordPolicy(req.password, passwordPolicy(pool));
  core.consumeCode(pool, user, 'forgot', req.code);
  setPassword(ctx, pool, user, req.password, 'CONFIRMED');
  await core.triggers(pool).postConfirmation({
    triggerSource: 'PostConfirmation_ConfirmForgotPassword',
    username: user.username,
    userAttributes: user.attributes,
    clientId: client.id,
  });
}

/**
 * ChangePassword (access token): the previous password counts towards the lockout. The new password is written
 * only over the one that was checked, so of concurrent changes from the same previous password exactly one wins.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html
 */
export async function changePassword(
  ctx: AccountCtx,
  accessToken: string,
  previous: string,
  proposed: string,
): Promise<void> {
  const { pool, user } = await ctx.tokens.verifyAccess(accessToken);
  const incorrect = () => new NotAuthorizedException('Incorrect username or password.');
  const checked = await ctx.auth.checkPasswordAsync(pool, user, previous);
  if (!checked) throw incorrect();
  checkPasswordPolicy(proposed, passwordPolicy(pool));
  if (!setPassword(ctx, pool, checked, proposed, 'CONFIRMED', checked.srpVerifier)) throw incorrect();
}
