/** What every account operation shares: the context it runs in and the helpers of more than one section. */
import type { CodeDeliveryDetailsType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { newUserRecord, type PoolRecord, type UserRecord, type UserStatus } from '../../../../store/index.js';
import { AliasExistsException, InvalidParameterException, UsernameExistsException } from '../../errors.js';
import * as srp from '../../srp/index.js';
import { type Attributes, maskDestination, toWire } from '../attributes.js';
import type { AuthService } from '../auth.js';
import type { Core } from '../core.js';
import {
  aliasAttributes,
  asObject,
  autoVerifiedAttributes,
  passwordPolicy,
  ukeyOf,
  usernameAttributes,
} from '../settings.js';
import type { TokenService } from '../tokens.js';

/** The parts of the pool service the account operations use. */
export interface AccountCtx {
  core: Core;
  auth: AuthService;
  tokens: TokenService;
}

export const EMAIL = /^[^\s@]+@[^\s@]+$/;
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** Cognito's wire view of a user (ListUsers, AdminCreateUser, ListUsersInGroup). */
export function userView(u: UserRecord, only?: Set<string>): UserType {
  return {
    Username: u.username,
    Attributes: toWire(u.attributes, only),
    UserCreateDate: seconds(u.createdAt),
    UserLastModifiedDate: seconds(u.updatedAt),
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

/** A simulated delivery for PreventUserExistenceErrors ENABLED: the same shape as a real one. */
export const simulatedDelivery = (username: string): CodeDeliveryDetailsType => ({
  Destination: maskDestination('email', EMAIL.test(username) ? username : `${username}@example.com`),
  DeliveryMedium: 'EMAIL',
  AttributeName: 'email',
});

export interface NewIdentity {
  username: string;
  sub: string;
  attrs: Attributes;
}

/**
 * Resolves the internal username and attributes for a new user. When email/phone is the username, the internal
 * username is a UUID (also the sub) and the typed value becomes the attribute.
 */
export function newIdentity(
  ctx: AccountCtx,
  pool: PoolRecord,
  username: string,
  attrs: Attributes,
): NewIdentity {
  const sub = ctx.core.ids.uuid();
  const ua = usernameAttributes(pool);
  if (ua.length) {
    const isEmail = EMAIL.test(username);
    const isPhone = /^\+[0-9]+$/.test(username);
    if (isEmail && ua.includes('email')) attrs = { ...attrs, email: username };
    else if (isPhone && ua.includes('phone_number')) attrs = { ...attrs, phone_number: username };
    else {
      const want =
        ua.includes('email') && ua.includes('phone_number')
          ? 'either an email or a phone number'
          : ua.includes('email')
            ? 'an email'
            : 'a phone number';
      throw new InvalidParameterException(`Username should be ${want}.`);
    }
    return { username: sub, sub, attrs };
  }
  if (aliasAttributes(pool).includes('email') && EMAIL.test(username)) {
    throw new InvalidParameterException(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  }
  if (aliasAttributes(pool).includes('phone_number') && /^\+[0-9]+$/.test(username)) {
    throw new InvalidParameterException(
      'Username cannot be of phone number format, since user pool is configured for phone_number alias.',
    );
  }
  return { username, sub, attrs };
}

/** Usernames and username-attributes are unique, whatever the user's status. */
export function checkUnique(
  ctx: AccountCtx,
  pool: PoolRecord,
  username: string,
  attrs: Attributes,
  existsMessage: string,
): void {
  const { users } = ctx.core.store;
  if (users.get(pool.id, ukeyOf(pool, username))) throw new UsernameExistsException(existsMessage);
  const ua = usernameAttributes(pool);
  if (ua.includes('email') && attrs.email && users.byAlias(pool.id, 'email', attrs.email).length) {
    throw new UsernameExistsException('An account with the given email already exists.');
  }
  if (
    ua.includes('phone_number') &&
    attrs.phone_number &&
    users.byAlias(pool.id, 'phone', attrs.phone_number).length
  ) {
    throw new UsernameExistsException('An account with the given phone_number already exists.');
  }
}

/** A new user record with the password's SRP verifier (computed on the SRP workers). */
export async function newUser(
  ctx: AccountCtx,
  pool: PoolRecord,
  id: NewIdentity,
  password: string,
  status: UserStatus,
): Promise<UserRecord> {
  const { salt, verifier } = await ctx.core.srp.createVerifier(pool.id, id.username, password);
  return newUserRecord({
    poolId: pool.id,
    ukey: ukeyOf(pool, id.username),
    username: id.username,
    sub: id.sub,
    status,
    attributes: id.attrs,
    srpSalt: salt,
    srpVerifier: verifier,
    now: ctx.core.now(),
  });
}

/** Where sign-up codes go: the phone when it is auto-verified and present, else the email. */
export function signUpMedium(pool: PoolRecord, user: UserRecord): 'email' | 'phone_number' | undefined {
  const auto = autoVerifiedAttributes(pool);
  if (auto.includes('phone_number') && user.attributes.phone_number) return 'phone_number';
  if (auto.includes('email') && user.attributes.email) return 'email';
  return undefined;
}

/**
 * Where forgot-password codes go: AccountRecoverySetting's order over verified contacts
 * ([unverified] without the setting: verified email first, then verified phone).
 */
export function recoveryMedium(pool: PoolRecord, user: UserRecord): 'email' | 'phone_number' | undefined {
  const mechanisms = (asObject(pool.config.AccountRecoverySetting).RecoveryMechanisms as
    | { Name?: string; Priority?: number }[]
    | undefined) ?? [
    { Name: 'verified_email', Priority: 1 },
    { Name: 'verified_phone_number', Priority: 2 },
  ];
  for (const m of [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))) {
    if (m.Name === 'verified_email' && user.attributes.email && user.attributes.email_verified === 'true')
      return 'email';
    if (
      m.Name === 'verified_phone_number' &&
      user.attributes.phone_number &&
      user.attributes.phone_number_verified === 'true'
    ) {
      return 'phone_number';
    }
  }
  return undefined;
}

/**
 * An alias being verified must not be another user's verified alias: AliasExistsException, or (forced) the other
 * user's alias is marked unverified. `attributes` are the user's attributes as they are about to be written.
 * Call inside the transaction that writes them.
 */
export function claimAliases(
  ctx: AccountCtx,
  pool: PoolRecord,
  user: UserRecord,
  attributes: Record<string, string>,
  force: boolean,
): void {
  const { users } = ctx.core.store;
  const aliases = aliasAttributes(pool);
  const check = (attr: 'email' | 'phone_number', column: 'email' | 'phone', flag: string) => {
    const value = attributes[attr];
    if (!aliases.includes(attr) || !value || attributes[flag] !== 'true') return;
    for (const other of users.byAlias(pool.id, column, value)) {
      if (other.ukey === user.ukey || other.attributes[flag] !== 'true') continue;
      if (!force)
        throw new AliasExistsException(
          `An account with the ${attr === 'email' ? 'email' : 'phone number'} already exists.`,
        );
      users.patchAttributes(pool.id, other.ukey, { [flag]: 'false' }, [], ctx.core.now());
    }
  };
  check('email', 'email', 'email_verified');
  check('phone_number', 'phone', 'phone_number_verified');
}

/**
 * Sets a user's attributes (and marks them verified) on the stored row, claiming verified aliases first; returns
 * the user as written. One transaction: never a write-back of a stale copy.
 */
export function writeAttributes(
  ctx: AccountCtx,
  pool: PoolRecord,
  user: UserRecord,
  set: Record<string, string>,
  remove: readonly string[],
  forceAliases: boolean,
): UserRecord {
  const { store } = ctx.core;
  return store.tx(() => {
    const current = store.users.get(pool.id, user.ukey) ?? user;
    const next = { ...current.attributes, ...set };
    for (const k of remove) delete next[k];
    claimAliases(ctx, pool, current, next, forceAliases);
    return store.users.patchAttributes(pool.id, user.ukey, set, remove, ctx.core.now()) ?? current;
  });
}

/**
 * Replaces the password (and resets the lockout). With `expectVerifier` it is compare-and-set: false when the
 * stored verifier is no longer the one the caller checked, so of concurrent changes exactly one wins.
 */
export function setPassword(
  ctx: AccountCtx,
  pool: PoolRecord,
  user: UserRecord,
  password: string,
  status: UserStatus,
  expectVerifier?: string,
): boolean {
  const { salt, verifier } = srp.createVerifier(pool.id, user.username, password);
  const now = ctx.core.now();
  return ctx.core.store.users.setPassword(pool.id, user.ukey, {
    salt,
    verifier,
    status,
    tempPasswordExpiresAt:
      status === 'FORCE_CHANGE_PASSWORD'
        ? now + passwordPolicy(pool).TemporaryPasswordValidityDays * 86400_000
        : undefined,
    now,
    expectVerifier,
  });
}
