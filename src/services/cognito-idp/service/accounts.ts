import type {
  AttributeType,
  CodeDeliveryDetailsType,
  GroupType,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord, PoolRecord, UserRecord, UserStatus } from '../../../store/index.js';
import {
  AliasExistsException,
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
  UnsupportedOperationException,
  UserNotFoundException,
  UsernameExistsException,
} from '../errors.js';
import * as srp from '../srp/index.js';
import { type Attributes, maskDestination, toWire, validateAttributes } from './attributes.js';
import type { AuthService } from './auth.js';
import type { Core } from './core.js';
import { checkPasswordPolicy, generateTemporaryPassword } from './passwords.js';
import { groupView } from './pools.js';
import {
  aliasAttributes,
  allowAdminCreateUserOnly,
  asObject,
  autoVerifiedAttributes,
  passwordPolicy,
  preventUserExistenceErrors,
  readableAttributes,
  ukeyOf,
  usernameAttributes,
  writableAttributes,
} from './settings.js';
import type { TokenService } from './tokens.js';

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const EMAIL = /^[^\s@]+@[^\s@]+$/;

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
const simulatedDelivery = (username: string): CodeDeliveryDetailsType => ({
  Destination: maskDestination('email', EMAIL.test(username) ? username : `${username}@example.com`),
  DeliveryMedium: 'EMAIL',
  AttributeName: 'email',
});

const LISTABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

/**
 * Accounts: sign-up and confirmation, passwords, attributes and their verification, and the admin operations on
 * users and group membership.
 */
export class AccountService {
  constructor(
    private readonly core: Core,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
  ) {}

  // ---- helpers

  /**
   * Resolves the internal username and attributes for a new user. When email/phone is the username, the internal
   * username is a UUID (also the sub) and the typed value becomes the attribute.
   */
  #newIdentity(
    pool: PoolRecord,
    username: string,
    attrs: Attributes,
  ): { username: string; sub: string; attrs: Attributes } {
    const sub = this.core.ids.uuid();
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
  #checkUnique(pool: PoolRecord, username: string, attrs: Attributes, existsMessage: string): void {
    if (this.core.store.getUser(pool.id, ukeyOf(pool, username)))
      throw new UsernameExistsException(existsMessage);
    const ua = usernameAttributes(pool);
    if (
      ua.includes('email') &&
      attrs.email &&
      this.core.store.usersByAlias(pool.id, 'email', attrs.email).length
    ) {
      throw new UsernameExistsException('An account with the given email already exists.');
    }
    if (
      ua.includes('phone_number') &&
      attrs.phone_number &&
      this.core.store.usersByAlias(pool.id, 'phone', attrs.phone_number).length
    ) {
      throw new UsernameExistsException('An account with the given phone_number already exists.');
    }
  }

  async #newUser(
    pool: PoolRecord,
    id: { username: string; sub: string; attrs: Attributes },
    password: string,
    status: UserStatus,
  ): Promise<UserRecord> {
    const { salt, verifier } = await this.core.srp.createVerifier(pool.id, id.username, password);
    const now = this.core.now();
    return {
      poolId: pool.id,
      ukey: ukeyOf(pool, id.username),
      username: id.username,
      sub: id.sub,
      status,
      enabled: true,
      attributes: { sub: id.sub, ...id.attrs },
      srpSalt: salt,
      srpVerifier: verifier,
      tempPasswordExpiresAt: undefined,
      failedAttempts: 0,
      lockedUntil: 0,
      lastFailedAt: 0,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Where sign-up codes go: the phone when it is auto-verified and present, else the email. */
  #signUpMedium(pool: PoolRecord, user: UserRecord): 'email' | 'phone_number' | undefined {
    const auto = autoVerifiedAttributes(pool);
    if (auto.includes('phone_number') && user.attributes.phone_number) return 'phone_number';
    if (auto.includes('email') && user.attributes.email) return 'email';
    return undefined;
  }

  /**
   * Where forgot-password codes go: AccountRecoverySetting's order over verified contacts
   * ([unverified] without the setting: verified email first, then verified phone).
   */
  #recoveryMedium(pool: PoolRecord, user: UserRecord): 'email' | 'phone_number' | undefined {
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

  #save(user: UserRecord): void {
    user.updatedAt = this.core.now();
    this.core.store.updateUser(user);
  }

  /** An alias being verified must not be another user's verified alias (AliasExistsException, or moved when forced). */
  #claimAliases(pool: PoolRecord, user: UserRecord, force: boolean): void {
    const aliases = aliasAttributes(pool);
    const check = (attr: 'email' | 'phone_number', column: 'email' | 'phone', flag: string) => {
      const value = user.attributes[attr];
      if (!aliases.includes(attr) || !value || user.attributes[flag] !== 'true') return;
      for (const other of this.core.store.usersByAlias(pool.id, column, value)) {
        if (other.ukey === user.ukey || other.attributes[flag] !== 'true') continue;
        if (!force)
          throw new AliasExistsException(
            `An account with the ${attr === 'email' ? 'email' : 'phone number'} already exists.`,
          );
        other.attributes[flag] = 'false';
        this.#save(other);
      }
    };
    check('email', 'email', 'email_verified');
    check('phone_number', 'phone', 'phone_number_verified');
  }

  // ---- Sign-up

  /**
   * SignUp: policy and schema checks, the PreSignUp trigger, then a code to the auto-verified contact.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
   */
  async signUp(
    client: ClientRecord,
    req: {
      username: string;
      password: string;
      attributes: Attributes;
      validationData?: Attributes;
      clientMetadata?: Record<string, string>;
    },
  ): Promise<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: CodeDeliveryDetailsType }> {
    const pool = this.core.requirePool(client.poolId);
    if (allowAdminCreateUserOnly(pool))
      throw new NotAuthorizedException('SignUp is not permitted for this user pool');
    const write = writableAttributes(client);
    for (const name of Object.keys(req.attributes)) {
      if (write && !write.has(name))
        throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    const id = this.#newIdentity(pool, req.username, req.attributes);
    checkPasswordPolicy(req.password, passwordPolicy(pool));
    validateAttributes(pool, id.attrs, { creating: true });
    this.#checkUnique(pool, id.username, id.attrs, 'User already exists');
    const pre = await this.core.triggers(pool).preSignUp({
      triggerSource: 'PreSignUp_SignUp',
      username: id.username,
      userAttributes: id.attrs,
      clientId: client.id,
      ...(req.validationData ? { validationData: req.validationData } : {}),
      ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
    });
    const user = await this.#newUser(
      pool,
      id,
      req.password,
      pre.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED',
    );
    if (pre.autoVerifyEmail && user.attributes.email) user.attributes.email_verified = 'true';
    if (pre.autoVerifyPhone && user.attributes.phone_number) user.attributes.phone_number_verified = 'true';
    const medium = pre.autoConfirmUser ? undefined : this.#signUpMedium(pool, user);
    // The user and its code commit together: one write, and never a user whose code was lost.
    const code = this.core.store.tx(() => {
      // Checked again inside the write: a concurrent sign-up may have taken the name while the trigger ran.
      this.#checkUnique(pool, id.username, id.attrs, 'User already exists');
      this.core.store.insertUser(user);
      return medium ? this.core.newCode(pool, user, 'signup') : undefined;
    });
    let delivery: CodeDeliveryDetailsType | undefined;
    if (medium && code) delivery = await this.core.deliver(pool, user, medium, 'SignUp', code, client.id);
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
  async confirmSignUp(
    client: ClientRecord,
    req: {
      username: string;
      code: string;
      forceAliasCreation?: boolean;
      clientMetadata?: Record<string, string>;
    },
  ): Promise<UserRecord> {
    const pool = this.core.requirePool(client.poolId);
    const user = this.core.findUser(pool, req.username);
    if (!user) {
      if (preventUserExistenceErrors(client) === 'ENABLED') {
        throw new CodeMismatchException('Invalid verification code provided, please try again.');
      }
      throw new UserNotFoundException('Username/client id combination not found.');
    }
    if (user.status !== 'UNCONFIRMED') {
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    }
    const medium = this.#signUpMedium(pool, user);
    this.core.consumeCode(pool, user, 'signup', req.code);
    user.status = 'CONFIRMED';
    if (medium === 'email') user.attributes.email_verified = 'true';
    if (medium === 'phone_number') user.attributes.phone_number_verified = 'true';
    this.core.store.tx(() => {
      this.#claimAliases(pool, user, req.forceAliasCreation === true);
      this.#save(user);
    });
    await this.core.triggers(pool).postConfirmation({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      username: user.username,
      userAttributes: user.attributes,
      clientId: client.id,
      ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
    });
    return user;
  }

  /** ResendConfirmationCode: a new sign-up code (the old one stops working). */
  async resendConfirmationCode(client: ClientRecord, username: string): Promise<CodeDeliveryDetailsType> {
    const pool = this.core.requirePool(client.poolId);
    const user = this.core.findUser(pool, username);
    const hide = preventUserExistenceErrors(client) === 'ENABLED';
    if (!user?.enabled) {
      if (hide) return simulatedDelivery(username);
      if (!user) throw new UserNotFoundException('Username/client id combination not found.');
      throw new NotAuthorizedException('User is disabled.');
    }
    if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
    const medium = this.#signUpMedium(pool, user);
    if (!medium) throw new InvalidParameterException('Auto verification not turned on.');
    return this.core.deliver(
      pool,
      user,
      medium,
      'ResendCode',
      this.core.newCode(pool, user, 'signup'),
      client.id,
    );
  }

  // ---- Passwords

  /**
   * ForgotPassword: a 1-hour code, in its own slot, to a verified contact.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
   */
  async forgotPassword(client: ClientRecord, username: string): Promise<CodeDeliveryDetailsType> {
    const pool = this.core.requirePool(client.poolId);
    const user = this.core.findUser(pool, username);
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
    const medium = this.#recoveryMedium(pool, user);
    if (!medium) {
      if (hide) return simulatedDelivery(username);
      throw new InvalidParameterException(
        'Cannot reset password for the user as there is no registered/verified email or phone_number',
      );
    }
    return this.core.deliver(
      pool,
      user,
      medium,
      'ForgotPassword',
      this.core.newCode(pool, user, 'forgot'),
      client.id,
    );
  }

  /** ConfirmForgotPassword: code + new password; the user ends CONFIRMED. */
  async confirmForgotPassword(
    client: ClientRecord,
    req: { username: string; code: string; password: string },
  ): Promise<void> {
    const pool = this.core.requirePool(client.poolId);
    const user = this.core.findUser(pool, req.username);
    const hide = preventUserExistenceErrors(client) === 'ENABLED';
    if (!user?.enabled) {
      if (hide) throw new CodeMismatchException('Invalid verification code provided, please try again.');
      if (!user) throw new UserNotFoundException('Username/client id combination not found.');
      throw new NotAuthorizedException('User is disabled.');
    }
    checkPasswordPolicy(req.password, passwordPolicy(pool));
    this.core.consumeCode(pool, user, 'forgot', req.code);
    this.#setPassword(pool, user, req.password, 'CONFIRMED');
    await this.core.triggers(pool).postConfirmation({
      triggerSource: 'PostConfirmation_ConfirmForgotPassword',
      username: user.username,
      userAttributes: user.attributes,
      clientId: client.id,
    });
  }

  #setPassword(pool: PoolRecord, user: UserRecord, password: string, status: UserStatus): void {
    const { salt, verifier } = srp.createVerifier(pool.id, user.username, password);
    user.srpSalt = salt;
    user.srpVerifier = verifier;
    user.status = status;
    user.failedAttempts = 0;
    user.lockedUntil = 0;
    user.tempPasswordExpiresAt =
      status === 'FORCE_CHANGE_PASSWORD'
        ? this.core.now() + passwordPolicy(pool).TemporaryPasswordValidityDays * 86400_000
        : undefined;
    this.#save(user);
  }

  /** ChangePassword (access token): the previous password counts towards the lockout. */
  async changePassword(accessToken: string, previous: string, proposed: string): Promise<void> {
    const { pool, user } = await this.tokens.verifyAccess(accessToken);
    if (!(await this.auth.passwordMatchesAsync(pool, user, previous)))
      throw new NotAuthorizedException('Incorrect username or password.');
    checkPasswordPolicy(proposed, passwordPolicy(pool));
    this.#setPassword(pool, user, proposed, 'CONFIRMED');
  }

  // ---- Self-service attributes (access token)

  /** GetUser: the token's user, attributes filtered by the client's ReadAttributes. */
  async getUser(accessToken: string): Promise<{ Username: string; UserAttributes: AttributeType[] }> {
    const { user, clientId } = await this.tokens.verifyAccess(accessToken);
    const client = this.core.store.getClient(clientId);
    return {
      Username: user.username,
      UserAttributes: toWire(user.attributes, client ? readableAttributes(client) : undefined),
    };
  }

  /**
   * Writes attributes. A changed email or phone that the pool auto-verifies becomes unverified and gets a code,
   * unless an admin marks it verified in the same call.
   */
  async #writeAttributes(
    pool: PoolRecord,
    user: UserRecord,
    attrs: Attributes,
    opts: { admin: boolean; clientId?: string },
  ): Promise<CodeDeliveryDetailsType[]> {
    validateAttributes(pool, attrs, { creating: false, existing: user.attributes });
    if (!opts.admin && ('email_verified' in attrs || 'phone_number_verified' in attrs)) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    const ua = usernameAttributes(pool);
    const changed = (name: string) => attrs[name] !== undefined && attrs[name] !== user.attributes[name];
    if (ua.includes('email') && changed('email') && attrs.email) {
      const taken = this.core.store
        .usersByAlias(pool.id, 'email', attrs.email)
        .some((u) => u.ukey !== user.ukey);
      if (taken) throw new AliasExistsException('An account with the given email already exists.');
    }
    const auto = autoVerifiedAttributes(pool);
    const toVerify: ('email' | 'phone_number')[] = [];
    for (const [attr, flag] of [
      ['email', 'email_verified'],
      ['phone_number', 'phone_number_verified'],
    ] as const) {
      if (!changed(attr)) continue;
      if (attrs[flag] === 'true') continue;
      user.attributes[flag] = 'false';
      if (auto.includes(attr) && attrs[attr]) toVerify.push(attr);
    }
    for (const [k, v] of Object.entries(attrs)) {
      if (v === '' && k !== 'email_verified' && k !== 'phone_number_verified') delete user.attributes[k];
      else user.attributes[k] = v;
    }
    this.core.store.tx(() => {
      this.#claimAliases(pool, user, false);
      this.#save(user);
    });
    const out: CodeDeliveryDetailsType[] = [];
    for (const attr of toVerify) {
      const code = this.core.newCode(pool, user, `attr:${attr}`);
      out.push(await this.core.deliver(pool, user, attr, 'UpdateUserAttribute', code, opts.clientId));
    }
    return out;
  }

  async updateUserAttributes(accessToken: string, attrs: Attributes): Promise<CodeDeliveryDetailsType[]> {
    const { pool, user, clientId } = await this.tokens.verifyAccess(accessToken);
    const client = this.core.store.getClient(clientId);
    const write = client ? writableAttributes(client) : undefined;
    for (const name of Object.keys(attrs)) {
      if (write && !write.has(name))
        throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    return this.#writeAttributes(pool, user, attrs, { admin: false, clientId });
  }

  /** GetUserAttributeVerificationCode: a 24-hour code for email or phone_number. */
  async getUserAttributeVerificationCode(
    accessToken: string,
    attributeName: string,
  ): Promise<CodeDeliveryDetailsType> {
    const { pool, user, clientId } = await this.tokens.verifyAccess(accessToken);
    if (attributeName !== 'email' && attributeName !== 'phone_number') {
      throw new InvalidParameterException(`Invalid attribute name: ${attributeName}`);
    }
    if (!user.attributes[attributeName]) {
      throw new InvalidParameterException(
        `User has no attribute matching the verification request: ${attributeName}`,
      );
    }
    const code = this.core.newCode(pool, user, `attr:${attributeName}`);
    return this.core.deliver(pool, user, attributeName, 'VerifyUserAttribute', code, clientId);
  }

  async verifyUserAttribute(accessToken: string, attributeName: string, code: string): Promise<void> {
    const { pool, user } = await this.tokens.verifyAccess(accessToken);
    if (attributeName !== 'email' && attributeName !== 'phone_number') {
      throw new InvalidParameterException(`Invalid attribute name: ${attributeName}`);
    }
    this.core.consumeCode(pool, user, `attr:${attributeName}`, code);
    user.attributes[attributeName === 'email' ? 'email_verified' : 'phone_number_verified'] = 'true';
    this.core.store.tx(() => {
      this.#claimAliases(pool, user, false);
      this.#save(user);
    });
  }

  async deleteUser(accessToken: string): Promise<void> {
    const { pool, user } = await this.tokens.verifyAccess(accessToken);
    this.core.store.tx(() => {
      this.tokens.signOutEverywhere(user);
      this.core.store.deleteUser(pool.id, user.ukey);
    });
  }

  async globalSignOut(accessToken: string): Promise<void> {
    const { user } = await this.tokens.verifyAccess(accessToken);
    this.tokens.signOutEverywhere(user);
  }

  // ---- Admin

  /**
   * AdminCreateUser: FORCE_CHANGE_PASSWORD with a temporary password (given or generated) and a welcome message.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
   */
  async adminCreateUser(
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
    const pool = this.core.requirePool(poolId);
    const policy = passwordPolicy(pool);
    if (req.temporaryPassword !== undefined) checkPasswordPolicy(req.temporaryPassword, policy);
    const password = req.temporaryPassword ?? generateTemporaryPassword(policy);
    let user: UserRecord;
    if (req.messageAction === 'RESEND') {
      user = this.core.requireUser(pool, req.username);
      if (user.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new UnsupportedOperationException(
          'Resend is not allowed for a user that is not in FORCE_CHANGE_PASSWORD state.',
        );
      }
      this.#setPassword(pool, user, password, 'FORCE_CHANGE_PASSWORD');
    } else {
      const id = this.#newIdentity(pool, req.username, req.attributes);
      validateAttributes(pool, id.attrs, { creating: true });
      this.#checkUnique(pool, id.username, id.attrs, 'User account already exists');
      await this.core.triggers(pool).preSignUp({
        triggerSource: 'PreSignUp_AdminCreateUser',
        username: id.username,
        userAttributes: id.attrs,
        ...(req.validationData ? { validationData: req.validationData } : {}),
        ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
      });
      user = await this.#newUser(pool, id, password, 'FORCE_CHANGE_PASSWORD');
      user.tempPasswordExpiresAt = this.core.now() + policy.TemporaryPasswordValidityDays * 86400_000;
      this.core.store.tx(() => {
        this.#checkUnique(pool, id.username, id.attrs, 'User account already exists');
        this.core.store.insertUser(user);
        this.#claimAliases(pool, user, req.forceAliasCreation === true);
      });
    }
    if (req.messageAction !== 'SUPPRESS') {
      const mediums = req.desiredDeliveryMediums?.length ? req.desiredDeliveryMediums : ['SMS'];
      const targets = mediums
        .map((m) => (m === 'EMAIL' ? 'email' : 'phone_number') as 'email' | 'phone_number')
        .filter((attr) => user.attributes[attr]);
      if (targets.length === 0) {
        throw new InvalidParameterException('User has no attribute matching desired delivery mediums');
      }
      for (const attr of targets)
        await this.core.deliver(pool, user, attr, 'AdminCreateUser', password, undefined);
    }
    return userView(user);
  }

  adminGetUser(poolId: string, username: string): UserType & { UserAttributes: AttributeType[] } {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    const v = userView(user);
    return { ...v, UserAttributes: v.Attributes ?? [] };
  }

  async adminConfirmSignUp(poolId: string, username: string): Promise<void> {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    if (user.status !== 'UNCONFIRMED') {
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    }
    user.status = 'CONFIRMED';
    this.#save(user);
    await this.core.triggers(pool).postConfirmation({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      username: user.username,
      userAttributes: user.attributes,
    });
  }

  adminSetUserPassword(poolId: string, username: string, password: string, permanent: boolean): void {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    checkPasswordPolicy(password, passwordPolicy(pool));
    this.#setPassword(pool, user, password, permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD');
  }

  async adminUpdateUserAttributes(poolId: string, username: string, attrs: Attributes): Promise<void> {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    await this.#writeAttributes(pool, user, attrs, { admin: true });
  }

  adminDeleteUser(poolId: string, username: string): void {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    this.core.store.tx(() => {
      this.tokens.signOutEverywhere(user);
      this.core.store.deleteUser(pool.id, user.ukey);
    });
  }

  /** AdminDisableUser also ends the user's sessions, as Cognito revokes their tokens. */
  adminSetEnabled(poolId: string, username: string, enabled: boolean): void {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    user.enabled = enabled;
    this.core.store.tx(() => {
      this.#save(user);
      if (!enabled) this.tokens.signOutEverywhere(user);
    });
  }

  /** AdminResetUserPassword: RESET_REQUIRED, and a forgot-password code when the user has a verified contact. */
  async adminResetUserPassword(poolId: string, username: string): Promise<void> {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    const medium = this.#recoveryMedium(pool, user);
    user.status = 'RESET_REQUIRED';
    this.#save(user);
    if (medium)
      await this.core.deliver(
        pool,
        user,
        medium,
        'ForgotPassword',
        this.core.newCode(pool, user, 'forgot'),
        undefined,
      );
  }

  adminUserGlobalSignOut(poolId: string, username: string): void {
    const pool = this.core.requirePool(poolId);
    this.tokens.signOutEverywhere(this.core.requireUser(pool, username));
  }

  // ---- Listing

  /**
   * ListUsers with Cognito's Filter syntax (`attr = "v"` or `attr ^= "prefix"`) and pagination.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
   */
  listUsers(
    poolId: string,
    req: { filter?: string; limit?: number; paginationToken?: string; attributesToGet?: string[] },
  ): { users: UserType[]; next?: string } {
    const pool = this.core.requirePool(poolId);
    const limit = req.limit ?? 60;
    const match = parseFilter(req.filter);
    let after = req.paginationToken ? decodeToken(req.paginationToken) : '';
    const out: UserRecord[] = [];
    let more = false;
    // Scan in key order in batches; a filter never needs more than the matching rows plus one batch.
    for (;;) {
      const batch = this.core.store.listUsers(pool.id, after, 500);
      for (const u of batch) {
        if (!match(u)) continue;
        if (out.length === limit) {
          more = true;
          break;
        }
        out.push(u);
      }
      if (more || batch.length < 500) break;
      after = (batch.at(-1) as UserRecord).ukey;
    }
    const only = req.attributesToGet ? new Set(req.attributesToGet) : undefined;
    return {
      users: out.map((u) => {
        const v = userView(u, only);
        return only && !only.has('sub')
          ? { ...v, Attributes: v.Attributes?.filter((a) => a.Name !== 'sub') }
          : v;
      }),
      ...(more ? { next: encodeToken(out.at(-1)?.ukey ?? '') } : {}),
    };
  }

  // ---- Group membership

  adminAddUserToGroup(poolId: string, username: string, group: string): void {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    if (!this.core.store.getGroup(pool.id, group)) throw new ResourceNotFoundException('Group not found.');
    this.core.store.addUserToGroup(pool.id, user.ukey, group);
  }

  adminRemoveUserFromGroup(poolId: string, username: string, group: string): void {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    if (!this.core.store.getGroup(pool.id, group)) throw new ResourceNotFoundException('Group not found.');
    this.core.store.removeUserFromGroup(pool.id, user.ukey, group);
  }

  adminListGroupsForUser(
    poolId: string,
    username: string,
    limit: number,
    nextToken?: string,
  ): { groups: GroupType[]; next?: string } {
    const pool = this.core.requirePool(poolId);
    const user = this.core.requireUser(pool, username);
    const rows = this.core.store.groupsOfUser(
      pool.id,
      user.ukey,
      nextToken ? decodeToken(nextToken) : '',
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return {
      groups: page.map(groupView),
      ...(rows.length > limit ? { next: encodeToken(page.at(-1)?.name ?? '') } : {}),
    };
  }

  listUsersInGroup(
    poolId: string,
    group: string,
    limit: number,
    nextToken?: string,
  ): { users: UserType[]; next?: string } {
    const pool = this.core.requirePool(poolId);
    if (!this.core.store.getGroup(pool.id, group)) throw new ResourceNotFoundException('Group not found.');
    const rows = this.core.store.usersInGroup(
      pool.id,
      group,
      nextToken ? decodeToken(nextToken) : '',
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return {
      users: page.map((u) => userView(u)),
      ...(rows.length > limit ? { next: encodeToken(page.at(-1)?.ukey ?? '') } : {}),
    };
  }
}

const encodeToken = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
function decodeToken(t: string): string {
  const s = Buffer.from(t, 'base64url').toString('utf8');
  if (encodeToken(s) !== t) throw new InvalidParameterException('Invalid pagination token');
  return s;
}

/** Compiles a ListUsers Filter into a predicate; an empty filter matches everyone. */
export function parseFilter(filter: string | undefined): (u: UserRecord) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const m = /^\s*([\w:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!m) throw new InvalidParameterException('Error while parsing filter.');
  const [, attr = '', op, raw = ''] = m;
  if (!LISTABLE.has(attr)) throw new InvalidParameterException(`Invalid search attribute: ${attr}`);
  const value = raw.replace(/\\(.)/g, '$1');
  const read = (u: UserRecord): string | undefined =>
    attr === 'username'
      ? u.username
      : attr === 'cognito:user_status'
        ? u.status
        : attr === 'status'
          ? u.enabled
            ? 'Enabled'
            : 'Disabled'
          : u.attributes[attr];
  return (u) => {
    const v = read(u);
    if (v === undefined) return false;
    return op === '=' ? v === value : v.startsWith(value);
  };
}
