/** Sign-up and its confirmation: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord, UserRecord } from '../../../../store/index.js';
import {
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../errors.js';
import { type Attributes, validateAttributes } from '../attributes.js';
import { checkPasswordPolicy } from '../passwords.js';
import {
  allowAdminCreateUserOnly,
  passwordPolicy,
  preventUserExistenceErrors,
  writableAttributes,
} from '../settings.js';
import {
  type AccountCtx,
  checkUnique,
  newIdentity,
  newUser,
  signUpMedium,
  simulatedDelivery,
  writeAttributes,
} from './shared.js';

/**
 * SignUp: policy and schema checks, the PreSignUp trigger, then a code to the auto-verified contact.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
export async function signUp(
  ctx: AccountCtx,
  client: ClientRecord,
  req: {
    username: string;
    password: string;
    attributes: Attributes;
    validationData?: Attributes;
    clientMetadata?: Record<string, string>;
  },
): Promise<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: CodeDeliveryDetailsType }> {
  const { core } = ctx;
  const pool = core.requirePool(client.poolId);
  if (allowAdminCreateUserOnly(pool))
    throw new NotAuthorizedException('SignUp is not permitted for this user pool');
  const write = writableAttributes(client);
  for (const name of Object.keys(req.attributes)) {
    if (write && !write.has(name))
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  }
  const id = newIdentity(ctx, pool, req.username, req.attributes);
  checkPasswordPolicy(req.password, passwordPolicy(pool));
  validateAttributes(pool, id.attrs, { creating: true });
  checkUnique(ctx, pool, id.username, id.attrs, 'User already exists');
  const pre = await core.triggers(pool).preSignUp({
    triggerSource: 'PreSignUp_SignUp',
    username: id.username,
    userAttributes: id.attrs,
    clientId: client.id,
    ...(req.validationData ? { validationData: req.validationData } : {}),
    ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
  });
  const user = await newUser(ctx, pool, id, req.password, pre.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED');
  if (pre.autoVerifyEmail && user.attributes.email) user.attributes.email_verified = 'true';
  if (pre.autoVerifyPhone && user.attributes.phone_number) user.attributes.phone_number_verified = 'true';
  const medium = pre.autoConfirmUser ? undefined : signUpMedium(pool, user);
  // The user and its code commit together: one write, and never a user whose code was lost.
  const code = core.store.tx(() => {
    // Checked again inside the write: a concurrent sign-up may have taken the name while the trigger ran.
    checkUnique(ctx, pool, id.username, id.attrs, 'User already exists');
    core.store.users.insert(user);
    return medium ? core.newCode(pool, user, 'signup') : undefined;
  });
  let delivery: CodeDeliveryDetailsType | undefined;
  if (medium && code) delivery = await core.deliver(pool, user, medium, 'SignUp', code, client.id);
  return {
    UserConfirmed: user.status === 'CONFIRMED',
    UserSub: user.sub,
    ...(delivery ? { CodeDeliveryDetails: delivery } : {}),
  };
}

/**
 * ConfirmSignUp: checks the sign-up code, confirms the user and marks the contact that received it verified.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html
 */
export async function confirmSignUp(
  ctx: AccountCtx,
  client: ClientRecord,
  req: {
    username: string;
    code: string;
    forceAliasCreation?: boolean;
    clientMetadata?: Record<string, string>;
  },
): Promise<UserRecord> {
  const { core } = ctx;
  const pool = core.requirePool(client.poolId);
  const user = core.findUser(pool, req.username);
  if (!user) {
    if (preventUserExistenceErrors(client) === 'ENABLED') {
      throw new CodeMismatchException('Invalid verification code provided, please try again.');
    }
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  const notConfirmable = (status: string) =>
    new NotAuthorizedException(`User cannot be confirmed. Current status is ${status}`);
  if (user.status !== 'UNCONFIRMED') throw notConfirmable(user.status);
  const medium = signUpMedium(pool, user);
  core.consumeCode(pool, user, 'signup', req.code);
  const verified: Record<string, string> =
    medium === 'email'
      ? { email_verified: 'true' }
      : medium === 'phone_number'
        ? { phone_number_verified: 'true' }
        : {};
  const confirmed = core.store.tx(() => {
    // Only from UNCONFIRMED: an admin may have confirmed (or reset) the user since the read above.
    if (!core.store.users.setStatus(pool.id, user.ukey, 'CONFIRMED', core.now(), 'UNCONFIRMED')) {
      throw notConfirmable(core.store.users.get(pool.id, user.ukey)?.status ?? user.status);
    }
    return writeAttributes(ctx, pool, user, verified, [], req.forceAliasCreation === true);
  });
  await core.triggers(pool).postConfirmation({
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    username: confirmed.username,
    userAttributes: confirmed.attributes,
    clientId: client.id,
    ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
  });
  return { ...confirmed, status: 'CONFIRMED' };
}

/**
 * ResendConfirmationCode: a new sign-up code (the old one stops working), limited per user.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html
 */
export async function resendConfirmationCode(
  ctx: AccountCtx,
  client: ClientRecord,
  username: string,
): Promise<CodeDeliveryDetailsType> {
  const { core } = ctx;
  const pool = core.requirePool(client.poolId);
  const user = core.findUser(pool, username);
  const hide = preventUserExistenceErrors(client) === 'ENABLED';
  if (!user?.enabled) {
    if (hide) return simulatedDelivery(username);
    if (!user) throw new UserNotFoundException('Username/client id combination not found.');
    throw new NotAuthorizedException('User is disabled.');
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const medium = signUpMedium(pool, user);
  if (!medium) throw new InvalidParameterException('Auto verification not turned on.');
  core.limitCodeRequest(pool, user, 'signup');
  return core.deliver(pool, user, medium, 'ResendCode', core.newCode(pool, user, 'signup'), client.id);
}
