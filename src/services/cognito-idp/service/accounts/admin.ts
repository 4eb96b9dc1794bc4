/** The admin operations on one user (developer credentials). */
import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../../../store/index.js';
import {
  InvalidParameterException,
  NotAuthorizedException,
  UnsupportedOperationException,
  UserNotFoundException,
} from '../../errors.js';
import { type Attributes, validateAttributes } from '../attributes.js';
import { checkPasswordPolicy, generateTemporaryPassword } from '../passwords.js';
import { passwordPolicy } from '../settings.js';
import { updateAttributes } from './selfService.js';
import {
  type AccountCtx,
  checkUnique,
  claimAliases,
  newIdentity,
  newUser,
  recoveryMedium,
  setPassword,
  userView,
} from './shared.js';

const gone = () => new UserNotFoundException('User does not exist.');

/**
 * AdminCreateUser: FORCE_CHANGE_PASSWORD with a temporary password (given or generated) and a welcome message.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
 */
export async function adminCreateUser(
  ctx: AccountCtx,
  poolId: string,
  req: {
    username: string;
    attributes: Attributes;
    temporaryPassword?: string;
    messageAction?: 'RESEND' | 'SUPPRESS';
    desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
    forceAliasCreation?: boolean;
    validationData?: Attributes;
    clientMetadata?: Record<string, string>;
  },
): Promise<UserType> {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const policy = passwordPolicy(pool);
  if (req.temporaryPassword !== undefined) checkPasswordPolicy(req.temporaryPassword, policy);
  const password = req.temporaryPassword ?? generateTemporaryPassword(policy);
  let user: UserRecord;
  if (req.messageAction === 'RESEND') {
    user = core.requireUser(pool, req.username);
    if (user.status !== 'FORCE_CHANGE_PASSWORD') {
      throw new UnsupportedOperationException(
        'Resend is not allowed for a user that is not in FORCE_CHANGE_PASSWORD state.',
      );
    }
    if (!setPassword(ctx, pool, user, password, 'FORCE_CHANGE_PASSWORD')) throw gone();
  } else {
    const id = newIdentity(ctx, pool, req.username, req.attributes);
    validateAttributes(pool, id.attrs, { creating: true });
    checkUnique(ctx, pool, id.username, id.attrs, 'User account already exists');
    await core.triggers(pool).preSignUp({
      triggerSource: 'PreSignUp_AdminCreateUser',
      username: id.username,
      userAttributes: id.attrs,
      ...(req.validationData ? { validationData: req.validationData } : {}),
      ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
    });
    const created = await newUser(ctx, pool, id, password, 'FORCE_CHANGE_PASSWORD');
    created.tempPasswordExpiresAt = core.now() + policy.TemporaryPasswordValidityDays * 86400_000;
    core.store.tx(() => {
      checkUnique(ctx, pool, id.username, id.attrs, 'User account already exists');
      core.store.users.insert(created);
      claimAliases(ctx, pool, created, created.attributes, req.forceAliasCreation === true);
    });
    user = created;
  }
  if (req.messageAction !== 'SUPPRESS') {
    const mediums = req.desiredDeliveryMediums?.length ? req.desiredDeliveryMediums : ['SMS'];
    const targets = mediums
      .map((m) => (m === 'EMAIL' ? 'email' : 'phone_number') as 'email' | 'phone_number')
      .filter((attr) => user.attributes[attr]);
    if (targets.length === 0) {
      throw new InvalidParameterException('User has no attribute matching desired delivery mediums');
    }
    for (const attr of targets) await core.deliver(pool, user, attr, 'AdminCreateUser', password, undefined);
  }
  return userView(user);
}

export function adminGetUser(
  ctx: AccountCtx,
  poolId: string,
  username: string,
): UserType & { UserAttributes: AttributeType[] } {
  const pool = ctx.core.requirePool(poolId);
  const v = userView(ctx.core.requireUser(pool, username));
  return { ...v, UserAttributes: v.Attributes ?? [] };
}

/** AdminConfirmSignUp: UNCONFIRMED to CONFIRMED, only from UNCONFIRMED. */
export async function adminConfirmSignUp(ctx: AccountCtx, poolId: string, username: string): Promise<void> {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  const notConfirmable = (status: string) =>
    new NotAuthorizedException(`User cannot be confirmed. Current status is ${status}`);
  if (user.status !== 'UNCONFIRMED') throw notConfirmable(user.status);
  if (!core.store.users.setStatus(pool.id, user.ukey, 'CONFIRMED', core.now(), 'UNCONFIRMED')) {
    throw notConfirmable(core.store.users.get(pool.id, user.ukey)?.status ?? user.status);
  }
  await core.triggers(pool).postConfirmation({
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    username: user.username,
    userAttributes: user.attributes,
  });
}

export function adminSetUserPassword(
  ctx: AccountCtx,
  poolId: string,
  username: string,
  password: string,
  permanent: boolean,
): void {
  const pool = ctx.core.requirePool(poolId);
  const user = ctx.core.requireUser(pool, username);
  checkPasswordPolicy(password, passwordPolicy(pool));
  if (!setPassword(ctx, pool, user, password, permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD'))
    throw gone();
}

export async function adminUpdateUserAttributes(
  ctx: AccountCtx,
  poolId: string,
  username: string,
  attrs: Attributes,
): Promise<void> {
  const pool = ctx.core.requirePool(poolId);
  const user = ctx.core.requireUser(pool, username);
  await updateAttributes(ctx, pool, user, attrs, { admin: true });
}

export function adminDeleteUser(ctx: AccountCtx, poolId: string, username: string): void {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  core.store.tx(() => {
    ctx.tokens.signOutEverywhere(user);
    core.store.users.delete(pool.id, user.ukey);
  });
}

/** AdminEnableUser / AdminDisableUser; disabling also ends the user's sessions, as Cognito revokes their tokens. */
export function adminSetEnabled(ctx: AccountCtx, poolId: string, username: string, enabled: boolean): void {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  core.store.tx(() => {
    if (!core.store.users.setEnabled(pool.id, user.ukey, enabled, core.now())) throw gone();
    if (!enabled) ctx.tokens.signOutEverywhere(user);
  });
}

/** AdminResetUserPassword: RESET_REQUIRED, and a forgot-password code when the user has a verified contact. */
export async function adminResetUserPassword(
  ctx: AccountCtx,
  poolId: string,
  username: string,
): Promise<void> {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  const medium = recoveryMedium(pool, user);
  if (!core.store.users.setStatus(pool.id, user.ukey, 'RESET_REQUIRED', core.now())) throw gone();
  if (medium) {
    const code = core.newCode(pool, user, 'forgot');
    await core.deliver(pool, user, medium, 'ForgotPassword', code, undefined);
  }
}

export function adminUserGlobalSignOut(ctx: AccountCtx, poolId: string, username: string): void {
  const pool = ctx.core.requirePool(poolId);
  ctx.tokens.signOutEverywhere(ctx.core.requireUser(pool, username));
}
