/** The signed-in user's own account (access token): attributes, their verification, sign-out and deletion. */
import type { AttributeType, CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { PoolRecord, UserRecord } from '../../../../store/index.js';
import { AliasExistsException, InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { type Attributes, toWire, validateAttributes } from '../attributes.js';
import {
  autoVerifiedAttributes,
  readableAttributes,
  usernameAttributes,
  writableAttributes,
} from '../settings.js';
import { type AccountCtx, writeAttributes } from './shared.js';

/** GetUser: the token's user, attributes filtered by the client's ReadAttributes. */
export async function getUser(
  ctx: AccountCtx,
  accessToken: string,
): Promise<{ Username: string; UserAttributes: AttributeType[] }> {
  const { user, clientId } = await ctx.tokens.verifyAccess(accessToken);
  const client = ctx.core.store.clients.get(clientId);
  return {
    Username: user.username,
    UserAttributes: toWire(user.attributes, client ? readableAttributes(client) : undefined),
  };
}

/**
 * Writes attributes (UpdateUserAttributes, AdminUpdateUserAttributes). A changed email or phone that the pool
 * auto-verifies becomes unverified and gets a code, unless an admin marks it verified in the same call. Only the
 * named attributes are written, on the stored row.
 */
export async function updateAttributes(
  ctx: AccountCtx,
  pool: PoolRecord,
  user: UserRecord,
  attrs: Attributes,
  opts: { admin: boolean; clientId?: string },
): Promise<CodeDeliveryDetailsType[]> {
  const { core } = ctx;
  validateAttributes(pool, attrs, { creating: false, existing: user.attributes });
  if (!opts.admin && ('email_verified' in attrs || 'phone_number_verified' in attrs)) {
    throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  }
  const ua = usernameAttributes(pool);
  const changed = (name: string) => attrs[name] !== undefined && attrs[name] !== user.attributes[name];
  if (ua.includes('email') && changed('email') && attrs.email) {
    const taken = core.store.users.byAlias(pool.id, 'email', attrs.email).some((u) => u.ukey !== user.ukey);
    if (taken) throw new AliasExistsException('An account with the given email already exists.');
  }
  const auto = autoVerifiedAttributes(pool);
  const toVerify: ('email' | 'phone_number')[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const [attr, flag] of [
    ['email', 'email_verified'],
    ['phone_number', 'phone_number_verified'],
  ] as const) {
    if (!changed(attr)) continue;
    if (attrs[flag] === 'true') continue;
    set[flag] = 'false';
    if (auto.includes(attr) && attrs[attr]) toVerify.push(attr);
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === '' && k !== 'email_verified' && k !== 'phone_number_verified') remove.push(k);
    else set[k] = v;
  }
  const written = writeAttributes(ctx, pool, user, set, remove, false);
  const out: CodeDeliveryDetailsType[] = [];
  for (const attr of toVerify) {
    const code = core.newCode(pool, written, `attr:${attr}`);
    out.push(await core.deliver(pool, written, attr, 'UpdateUserAttribute', code, opts.clientId));
  }
  return out;
}

/** UpdateUserAttributes: only the attributes the client may write. */
export async function updateUserAttributes(
  ctx: AccountCtx,
  accessToken: string,
  attrs: Attributes,
): Promise<CodeDeliveryDetailsType[]> {
  const { pool, user, clientId } = await ctx.tokens.verifyAccess(accessToken);
  const client = ctx.core.store.clients.get(clientId);
  const write = client ? writableAttributes(client) : undefined;
  for (const name of Object.keys(attrs)) {
    if (write && !write.has(name))
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  }
  return updateAttributes(ctx, pool, user, attrs, { admin: false, clientId });
}

/** GetUserAttributeVerificationCode: a 24-hour code for email or phone_number, limited per user. */
export async function getUserAttributeVerificationCode(
  ctx: AccountCtx,
  accessToken: string,
  attributeName: string,
): Promise<CodeDeliveryDetailsType> {
  const { core } = ctx;
  const { pool, user, clientId } = await ctx.tokens.verifyAccess(accessToken);
  if (attributeName !== 'email' && attributeName !== 'phone_number') {
    throw new InvalidParameterException(`Invalid attribute name: ${attributeName}`);
  }
  if (!user.attributes[attributeName]) {
    throw new InvalidParameterException(
      `User has no attribute matching the verification request: ${attributeName}`,
    );
  }
  core.limitCodeRequest(pool, user, `attr:${attributeName}`);
  const code = core.newCode(pool, user, `attr:${attributeName}`);
  return core.deliver(pool, user, attributeName, 'VerifyUserAttribute', code, clientId);
}

/** VerifyUserAttribute: the code marks the attribute verified. */
export async function verifyUserAttribute(
  ctx: AccountCtx,
  accessToken: string,
  attributeName: string,
  code: string,
): Promise<void> {
  const { pool, user } = await ctx.tokens.verifyAccess(accessToken);
  if (attributeName !== 'email' && attributeName !== 'phone_number') {
    throw new InvalidParameterException(`Invalid attribute name: ${attributeName}`);
  }
  ctx.core.consumeCode(pool, user, `attr:${attributeName}`, code);
  const flag = attributeName === 'email' ? 'email_verified' : 'phone_number_verified';
  writeAttributes(ctx, pool, user, { [flag]: 'true' }, [], false);
}

/** DeleteUser: the user and every sign-in of theirs. */
export async function deleteUser(ctx: AccountCtx, accessToken: string): Promise<void> {
  const { pool, user } = await ctx.tokens.verifyAccess(accessToken);
  ctx.core.store.tx(() => {
    ctx.tokens.signOutEverywhere(user);
    ctx.core.store.users.delete(pool.id, user.ukey);
  });
}

/** GlobalSignOut: ends every sign-in of the user. */
export async function globalSignOut(ctx: AccountCtx, accessToken: string): Promise<void> {
  const { user } = await ctx.tokens.verifyAccess(accessToken);
  ctx.tokens.signOutEverywhere(user);
}
