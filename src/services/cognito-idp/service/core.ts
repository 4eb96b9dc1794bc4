import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { Urls } from '../../../config/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { ClientRecord, IdpStore, PoolRecord, UserRecord } from '../../../store/index.js';
import {
  CodeDeliveryFailureException,
  CodeMismatchException,
  ExpiredCodeException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  UserNotFoundException,
} from '../errors.js';
import { renderTemplate } from '../mail/template.js';
import type { MailMessage, Outbox } from '../mail/types.js';
import { generatePoolKeys, PoolSigner, type StoredKey } from '../tokens/keys.js';
import { maskDestination } from './attributes.js';
import { type IdSource, sha256 } from './ids.js';
import {
  aliasAttributes,
  CODE_LIMITS,
  CODE_MAX_ATTEMPTS,
  CODE_TTL_MS,
  invitationTemplate,
  smsVerificationMessage,
  ukeyOf,
  usernameAttributes,
  verificationTemplate,
} from './settings.js';
import { inlineSrp, type SrpCompute } from './srpWorkers.js';
import { noTriggers, type PoolTriggers } from './triggers.js';

/** The slice of the shared logger the service uses. */
export type ServiceLog = Pick<Logger, 'info' | 'warn'>;

/** Sends a rendered message (the mail module's Mailer). */
export interface MailSender {
  send(m: MailMessage): Promise<unknown>;
}

export interface IdpServiceDeps {
  store: IdpStore;
  urls: Urls;
  clock: Clock;
  /** Email: outbox first, then optional SMTP. */
  mailer: MailSender;
  /** SMS are not sent anywhere real: they land in this outbox, addressed to the phone number. */
  outbox: Outbox;
  log: ServiceLog;
  ids: IdSource;
  /** The Lambda triggers of a pool; defaults to none. */
  triggersFor?: (pool: PoolRecord) => PoolTriggers;
  /** Where SRP maths runs for the JSON API's hot paths; default: inline on the calling thread. */
  srp?: SrpCompute;
  /** Where a new pool's signing keys come from; default: fresh RSA keys (tests may reuse one set to save CPU). */
  generateKeys?: () => Promise<StoredKey[]>;
}

export type CodePurpose = 'signup' | 'forgot' | `attr:${string}`;

const attemptLimit = () => new LimitExceededException('Attempt limit exceeded, please try after some time.');

/** What a code message is for: picks the template and the CustomMessage trigger source. */
export type MessageKind =
  | 'SignUp'
  | 'ResendCode'
  | 'ForgotPassword'
  | 'UpdateUserAttribute'
  | 'VerifyUserAttribute'
  | 'AdminCreateUser';

/**
 * Shared machinery of the pool service: lookups that throw Cognito's errors, SECRET_HASH, codes, message delivery
 * and the per-pool signer cache.
 */
export class Core {
  readonly store: IdpStore;
  readonly urls: Urls;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly log: ServiceLog;
  readonly srp: SrpCompute;
  /** The password checks that succeeded lately, so a repeated sign-in skips the verifier's modexp. */
  readonly #deps: IdpServiceDeps;
  readonly #signers = new Map<string, Promise<PoolSigner>>();
  /** Keys simulated SRP challenges for unknown users; per process is enough (they only need to be stable per username). */
  readonly srpSecret = randomBytes(32);

  constructor(deps: IdpServiceDeps) {
    this.#deps = deps;
    this.store = deps.store;
    this.urls = deps.urls;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.log = deps.log;
    this.srp = deps.srp ?? inlineSrp;
  }

  now(): number {
    return this.clock.now();
  }

  /** Two new signing keys (id, access) for a pool. */
  newPoolKeys(): Promise<StoredKey[]> {
    return (this.#deps.generateKeys ?? generatePoolKeys)();
  }

  triggers(pool: PoolRecord): PoolTriggers {
    return this.#deps.triggersFor?.(pool) ?? noTriggers;
  }

  requirePool(poolId: string): PoolRecord {
    const pool = this.store.pools.get(poolId);
    if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
    return pool;
  }

  requireClient(clientId: string, poolId?: string): ClientRecord {
    const client = this.store.clients.get(clientId);
    if (!client || (poolId !== undefined && client.poolId !== poolId)) {
      throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    }
    return client;
  }

  /**
   * SECRET_HASH = Base64(HMAC-SHA256(clientSecret, username + clientId)), required for clients with a secret. Any of
   * `usernames` may be the one the client hashed (the alias it typed, or the internal username).
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
   */
  checkSecretHash(
    client: ClientRecord,
    usernames: readonly (string | undefined)[],
    secretHash: string | undefined,
  ): void {
    if (!client.secret) return;
    if (secretHash === undefined || secretHash === '') {
      throw new NotAuthorizedException(
        `Client ${client.id} is configured for secret but secret was not received`,
      );
    }
    const given = Buffer.from(secretHash, 'base64');
    for (const u of usernames) {
      if (u === undefined) continue;
      const expected = createHmac('sha256', client.secret)
        .update(u + client.id)
        .digest();
      if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    }
    throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
  }

  /**
   * Finds a user by what they type at sign-in: the username, or the email/phone when those are the username, or a
   * verified alias. Each path is one index probe.
   */
  findUser(pool: PoolRecord, name: string): UserRecord | undefined {
    const direct = this.store.users.get(pool.id, ukeyOf(pool, name));
    if (direct) return direct;
    const ua = usernameAttributes(pool);
    const aliases = aliasAttributes(pool);
    const one = (users: UserRecord[], verifiedFlag?: string) =>
      users.find((u) => verifiedFlag === undefined || u.attributes[verifiedFlag] === 'true');
    if (name.includes('@')) {
      if (ua.includes('email')) return one(this.store.users.byAlias(pool.id, 'email', name));
      if (aliases.includes('email'))
        return one(this.store.users.byAlias(pool.id, 'email', name), 'email_verified');
    }
    if (name.startsWith('+')) {
      if (ua.includes('phone_number')) return one(this.store.users.byAlias(pool.id, 'phone', name));
      if (aliases.includes('phone_number')) {
        return one(this.store.users.byAlias(pool.id, 'phone', name), 'phone_number_verified');
      }
    }
    if (aliases.includes('preferred_username')) {
      return one(this.store.users.byAlias(pool.id, 'preferred_username', name));
    }
    return undefined;
  }

  /** Admin operations: the user or UserNotFoundException. */
  requireUser(pool: PoolRecord, name: string): UserRecord {
    const user = this.findUser(pool, name);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return user;
  }

  signer(poolId: string): Promise<PoolSigner> {
    let s = this.#signers.get(poolId);
    if (!s) {
      const keys = this.store.pools.listKeys(poolId) as unknown as StoredKey[];
      s = PoolSigner.create(keys);
      // A failed import must not stick in the cache.
      s.catch(() => this.#signers.delete(poolId));
      this.#signers.set(poolId, s);
    }
    return s;
  }

  forgetSigner(poolId: string): void {
    this.#signers.delete(poolId);
  }

  // ---- Codes

  #codeHash(pool: PoolRecord, user: UserRecord, purpose: CodePurpose, code: string): string {
    return sha256(`${pool.id}\0${user.ukey}\0${purpose}\0${code}`);
  }

  /** Issues a new code in the purpose's own slot (replacing any older code of that purpose). */
  newCode(pool: PoolRecord, user: UserRecord, purpose: CodePurpose): string {
    const code = this.ids.code();
    const ttl =
      purpose === 'signup'
        ? CODE_TTL_MS.signup
        : purpose === 'forgot'
          ? CODE_TTL_MS.forgot
          : CODE_TTL_MS.attribute;
    const now = this.now();
    this.store.codes.put(
      pool.id,
      user.ukey,
      purpose,
      this.#codeHash(pool, user, purpose, code),
      now + ttl,
      now,
    );
    return code;
  }

  /**
   * Counts a code request (ForgotPassword, ResendConfirmationCode, GetUserAttributeVerificationCode) against the
   * user's hourly budget for that purpose, shared with wrong guesses; throws LimitExceededException past it.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
   */
  limitCodeRequest(pool: PoolRecord, user: UserRecord, purpose: CodePurpose): void {
    const n = this.store.codes.countAttempt(pool.id, user.ukey, purpose, this.now(), CODE_LIMITS.windowMs);
    if (n > CODE_LIMITS.maxAttempts) throw attemptLimit();
  }

  /**
   * Consumes a code: single use, limited attempts, expiring. Throws ExpiredCodeException (none, used or expired),
   * LimitExceededException (too many wrong guesses for this code, which is then burned, or for the user and purpose
   * within the hour, whatever code was issued) or CodeMismatchException. Check and write are one transaction, so
   * of concurrent calls with the right code exactly one consumes it.
   */
  consumeCode(pool: PoolRecord, user: UserRecord, purpose: CodePurpose, code: string): void {
    const { codes } = this.store;
    const expired = () => new ExpiredCodeException('Invalid code provided, please request a code again.');
    const outcome = this.store.tx((): Error | undefined => {
      const now = this.now();
      if (codes.attempts(pool.id, user.ukey, purpose, now, CODE_LIMITS.windowMs) >= CODE_LIMITS.maxAttempts) {
        return attemptLimit();
      }
      const rec = codes.get(pool.id, user.ukey, purpose);
      if (!rec) return expired();
      if (rec.expiresAt <= now) {
        codes.delete(pool.id, user.ukey, purpose);
        return expired();
      }
      if (rec.attempts >= CODE_MAX_ATTEMPTS) {
        codes.delete(pool.id, user.ukey, purpose);
        return attemptLimit();
      }
      const given = Buffer.from(this.#codeHash(pool, user, purpose, code), 'hex');
      const stored = Buffer.from(rec.codeHash, 'hex');
      if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
        codes.bumpAttempts(pool.id, user.ukey, purpose);
        codes.countAttempt(pool.id, user.ukey, purpose, now, CODE_LIMITS.windowMs);
        return new CodeMismatchException('Invalid verification code provided, please try again.');
      }
      codes.delete(pool.id, user.ukey, purpose);
      return undefined;
    });
    // Thrown after the transaction, so the counted guess commits with the error.
    if (outcome) throw outcome;
  }

  // ---- Messages

  /**
   * Renders and sends a code (or temporary password) to the user's email or phone, through the pool's template and
   * its CustomMessage trigger. Returns Cognito's masked CodeDeliveryDetails.
   */
  /** An SMS: written to the outbox, addressed to the phone number (never sent anywhere real). */
  async sendSms(to: string, text: string): Promise<void> {
    this.#deps.outbox.append({ to, subject: 'SMS', text }, this.now());
    this.log.info({ to: maskDestination('phone_number', to) }, 'sms written to the outbox');
  }

  /** An email: the outbox first, then SMTP if configured. */
  async sendEmail(m: MailMessage): Promise<void> {
    await this.#deps.mailer.send(m);
  }

  async deliver(
    pool: PoolRecord,
    user: UserRecord,
    medium: 'email' | 'phone_number',
    kind: MessageKind,
    code: string,
    clientId: string | undefined,
  ): Promise<CodeDeliveryDetailsType> {
    const to = user.attributes[medium];
    if (!to) throw new CodeDeliveryFailureException(`No ${medium} to deliver the code to.`);
    const template = kind === 'AdminCreateUser' ? invitationTemplate(pool) : verificationTemplate(pool);
    const custom = await this.triggers(pool).customMessage({
      triggerSource: `CustomMessage_${kind}`,
      username: user.username,
      userAttributes: user.attributes,
      ...(clientId ? { clientId } : {}),
      codeParameter: '{####}',
      ...(kind === 'AdminCreateUser' ? { usernameParameter: '{username}' } : {}),
    });
    const vars = { code, username: user.username };
    if (medium === 'email') {
      const subject = renderTemplate(custom?.emailSubject ?? template.subject, vars);
      const text = renderTemplate(custom?.emailMessage ?? template.message, vars);
      await this.#deps.mailer.send({ to, subject, text });
    } else {
      const text = renderTemplate(
        custom?.smsMessage ??
          (kind === 'AdminCreateUser'
            ? 'Your username is {username} and temporary password is {####}. '
            : smsVerificationMessage(pool)),
        vars,
      );
      this.#deps.outbox.append({ to, subject: 'SMS', text }, this.now());
      this.log.info({ to: maskDestination('phone_number', to) }, 'sms written to the outbox');
    }
    return {
      Destination: maskDestination(medium, to),
      DeliveryMedium: medium === 'email' ? 'EMAIL' : 'SMS',
      AttributeName: medium,
    };
  }
}
