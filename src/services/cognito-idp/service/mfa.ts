import { timingSafeEqual } from 'node:crypto';
import type { MFAOptionType } from '@aws-sdk/client-cognito-identity-provider';
import type {
  AuthSessionRecord,
  ClientRecord,
  MfaFactor,
  PoolRecord,
  UserRecord,
} from '../../../store/index.js';
import {
  CodeMismatchException,
  EnableSoftwareTokenMFAException,
  InvalidParameterException,
  NotAuthorizedException,
  SoftwareTokenMFANotFoundException,
} from '../errors.js';
import { renderTemplate } from '../mail/template.js';
import { maskDestination } from './attributes.js';
import type { AuthStep } from './auth.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import {
  DEFAULT_EMAIL_MFA_MESSAGE,
  DEFAULT_EMAIL_MFA_SUBJECT,
  DEFAULT_SMS_MFA_MESSAGE,
  mfaMode,
  poolFactors,
  userFactors,
} from './mfaConfig.js';
import { asObject, tokenValidity } from './settings.js';
import { matchTotp, newTotpSecret } from './totp.js';

/** Wrong answers a challenge session takes before it is dropped. */
export const MFA_MAX_ATTEMPTS = 5;

type MfaChallenge = MfaFactor | 'SELECT_MFA_TYPE' | 'MFA_SETUP';

interface MfaSessionData {
  ukey: string;
  challenge: MfaChallenge;
  /** SHA-256 of the SMS or email code sent for this session. */
  codeHash?: string;
  attempts: number;
  /** MFA_SETUP: the TOTP secret was verified through this session. */
  setupDone?: boolean;
  /** Factors SELECT_MFA_TYPE offered. */
  choices?: MfaFactor[];
}

/** What finishes a sign-in once MFA passed (tokens, or a later step such as device confirmation). */
export type FinishSignIn = (user: UserRecord) => Promise<AuthStep>;

const CODE_FIELD: Record<MfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

const invalidSession = () => new NotAuthorizedException('Invalid session for the user, session is expired.');

/**
 * Multi-factor authentication: the user's TOTP (AssociateSoftwareToken, VerifySoftwareToken), preferences, and the
 * sign-in challenges SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP. Challenge sessions last
 * the client's AuthSessionValidity (3 minutes by default), as do the SMS and email codes sent in them.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
 */
export class MfaService {
  constructor(private readonly core: Core) {}

  /** GetUser's `UserMFASettingList` and `PreferredMfaSetting` (and the legacy `MFAOptions` for SMS). */
  userSettings(
    pool: PoolRecord,
    user: UserRecord,
  ): {
    UserMFASettingList?: string[];
    PreferredMfaSetting?: string;
    MFAOptions?: MFAOptionType[];
  } {
    const s = this.core.store.mfa.get(pool.id, user.ukey);
    const list = (['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const).filter(
      (f) => s.enabled[f] && (f !== 'SOFTWARE_TOKEN_MFA' || s.totpVerified),
    );
    return {
      ...(list.length ? { UserMFASettingList: [...list] } : {}),
      ...(s.preferred && list.includes(s.preferred) ? { PreferredMfaSetting: s.preferred } : {}),
      ...(list.includes('SMS_MFA')
        ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }
        : {}),
    };
  }

  /**
   * SetUserMFAPreference and AdminSetUserMFAPreference.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
   */
  setPreference(
    pool: PoolRecord,
    user: UserRecord,
    req: Partial<Record<MfaFactor, { Enabled?: boolean; PreferredMfa?: boolean } | undefined>>,
  ): void {
    const current = this.core.store.mfa.get(pool.id, user.ukey);
    const enabled: Partial<Record<MfaFactor, boolean>> = {};
    let preferred: MfaFactor | null | undefined;
    for (const [factor, setting] of Object.entries(req) as [MfaFactor, (typeof req)[MfaFactor]][]) {
      if (!setting) continue;
      if (setting.PreferredMfa && setting.Enabled === false) {
        throw new InvalidParameterException('A disabled MFA factor cannot be the preferred one.');
      }
      const on = setting.Enabled ?? (setting.PreferredMfa ? true : undefined);
      if (on && factor === 'SOFTWARE_TOKEN_MFA' && !current.totpVerified) {
        throw new InvalidParameterException('User has not verified software token mfa');
      }
      if (on && factor === 'SMS_MFA' && !user.attributes.phone_number) {
        throw new InvalidParameterException('User does not have a phone number.');
      }
      if (on && factor === 'EMAIL_OTP' && !user.attributes.email) {
        throw new InvalidParameterException('User does not have an email address.');
      }
      if (on !== undefined) enabled[factor] = on;
      if (setting.PreferredMfa) preferred = factor;
      else if (
        (setting.PreferredMfa === false || on === false) &&
        current.preferred === factor &&
        !preferred
      ) {
        preferred = null;
      }
    }
    this.core.store.mfa.setPreferences(pool.id, user.ukey, enabled, preferred);
  }

  /** The user of a challenge session (AssociateSoftwareToken / VerifySoftwareToken during MFA_SETUP). */
  #setupSession(session: string): { s: AuthSessionRecord; user: UserRecord } {
    const s = this.core.store.sessions.take(sha256(session));
    const data = s?.data as MfaSessionData | undefined;
    if (s?.kind !== 'MFA' || data?.challenge !== 'MFA_SETUP' || s.expiresAt <= this.core.now()) {
      throw invalidSession();
    }
    const user = this.core.store.users.get(s.poolId, data.ukey);
    if (!user) throw invalidSession();
    return { s, user };
  }

  /** Stores a session under a new id and returns that id (each step hands the client a new Session). */
  #reissue(s: AuthSessionRecord, data: MfaSessionData): string {
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({ ...s, id: sha256(session), data: { ...data } });
    return session;
  }

  #requireTotpPool(pool: PoolRecord): void {
    if (!poolFactors(pool).has('SOFTWARE_TOKEN_MFA')) {
      throw new SoftwareTokenMFANotFoundException('Software Token MFA is not enabled for this user pool.');
    }
  }

  /**
   * AssociateSoftwareToken: a new TOTP secret, by the user's access token or the MFA_SETUP session. TOTP stays off
   * until VerifySoftwareToken proves the authenticator has it.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
   */
  associate(by: { pool: PoolRecord; user: UserRecord } | { session: string }): {
    SecretCode: string;
    Session?: string;
  } {
    const secret = newTotpSecret();
    if ('session' in by) {
      const { s, user } = this.#setupSession(by.session);
      this.#requireTotpPool(this.core.requirePool(user.poolId));
      this.core.store.mfa.setPendingTotp(user.poolId, user.ukey, secret);
      return { SecretCode: secret, Session: this.#reissue(s, s.data as unknown as MfaSessionData) };
    }
    this.#requireTotpPool(by.pool);
    this.core.store.mfa.setPendingTotp(by.pool.id, by.user.ukey, secret);
    return { SecretCode: secret };
  }

  /**
   * VerifySoftwareToken: a code of the pending secret turns TOTP on. Wrong codes are refused with Cognito's
   * EnableSoftwareTokenMFAException.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
   */
  verify(
    by: { pool: PoolRecord; user: UserRecord } | { session: string },
    code: string,
  ): { Status: 'SUCCESS'; Session?: string } {
    const setup = 'session' in by ? this.#setupSession(by.session) : undefined;
    const user = setup ? setup.user : (by as { user: UserRecord }).user;
    const restore = () => {
      if (setup) this.core.store.sessions.insert(setup.s);
    };
    const settings = this.core.store.mfa.get(user.poolId, user.ukey);
    if (!settings.totpSecret) {
      restore();
      throw new SoftwareTokenMFANotFoundException(
        'Software Token MFA has not been associated with the user.',
      );
    }
    const step = matchTotp(settings.totpSecret, code, this.core.now());
    if (
      step === undefined ||
      !this.core.store.mfa.confirmTotp(user.poolId, user.ukey, settings.totpSecret, step)
    ) {
      restore();
      throw new EnableSoftwareTokenMFAException('Code mismatch and fail enable Software Token MFA mfa');
    }
    if (setup) {
      const data = setup.s.data as unknown as MfaSessionData;
      return { Status: 'SUCCESS', Session: this.#reissue(setup.s, { ...data, setupDone: true }) };
    }
    return { Status: 'SUCCESS' };
  }

  /**
   * After the first factor: the MFA challenge this user owes, or undefined when none is due. A user with no factor in
   * a pool with MFA ON must set up TOTP (MFA_SETUP) when the pool offers it, or gets a code by SMS or email.
   */
  async challengeFor(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
  ): Promise<AuthStep | undefined> {
    const mode = mfaMode(pool);
    if (mode === 'OFF') return undefined;
    const settings = this.core.store.mfa.get(pool.id, user.ukey);
    const factors = userFactors(pool, user, settings);
    if (factors.length === 0) {
      if (mode === 'OPTIONAL') return undefined;
      const offered = poolFactors(pool);
      if (offered.has('SMS_MFA') && user.attributes.phone_number) {
        return this.#start(pool, client, user, 'SMS_MFA');
      }
      if (offered.has('EMAIL_OTP') && user.attributes.email) {
        return this.#start(pool, client, user, 'EMAIL_OTP');
      }
      if (offered.has('SOFTWARE_TOKEN_MFA')) return this.#start(pool, client, user, 'MFA_SETUP');
      throw new NotAuthorizedException('The user has no MFA factor this pool can use.');
    }
    if (settings.preferred && factors.includes(settings.preferred)) {
      return this.#start(pool, client, user, settings.preferred);
    }
    if (factors.length === 1) return this.#start(pool, client, user, factors[0] as MfaFactor);
    return this.#start(pool, client, user, 'SELECT_MFA_TYPE', factors);
  }

  /** Opens a challenge: a new session, and for SMS and email the code, sent. */
  async #start(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    challenge: MfaChallenge,
    choices?: MfaFactor[],
  ): Promise<AuthStep> {
    const data: MfaSessionData = { ukey: user.ukey, challenge, attempts: 0, ...(choices ? { choices } : {}) };
    const params: Record<string, string> = { USER_ID_FOR_SRP: user.username };
    if (challenge === 'SMS_MFA' || challenge === 'EMAIL_OTP') {
      const code = this.core.ids.code();
      data.codeHash = sha256(code);
      Object.assign(params, await this.#sendCode(pool, user, challenge, code));
    } else if (challenge === 'SELECT_MFA_TYPE') {
      params.MFAS_CAN_CHOOSE = JSON.stringify(choices ?? []);
    } else if (challenge === 'MFA_SETUP') {
      params.MFAS_CAN_SETUP = JSON.stringify(['SOFTWARE_TOKEN_MFA']);
    }
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({
      id: sha256(session),
      poolId: pool.id,
      clientId: client.id,
      kind: 'MFA',
      data: { ...data },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
    return { ChallengeName: challenge, Session: session, ChallengeParameters: params };
  }

  /** The SMS (to the outbox, addressed to the phone number) or the email with the sign-in code. */
  async #sendCode(
    pool: PoolRecord,
    user: UserRecord,
    factor: 'SMS_MFA' | 'EMAIL_OTP',
    code: string,
  ): Promise<Record<string, string>> {
    const vars = { code, username: user.username };
    if (factor === 'SMS_MFA') {
      const to = user.attributes.phone_number as string;
      const template = String(
        asObject(pool.config.SmsMfaConfiguration).SmsAuthenticationMessage ??
          pool.config.SmsAuthenticationMessage ??
          DEFAULT_SMS_MFA_MESSAGE,
      );
      await this.core.sendSms(to, renderTemplate(template, vars));
      return {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: maskDestination('phone_number', to),
      };
    }
    const to = user.attributes.email as string;
    const c = asObject(pool.config.EmailMfaConfiguration);
    await this.core.sendEmail({
      to,
      subject: renderTemplate(String(c.Subject ?? DEFAULT_EMAIL_MFA_SUBJECT), vars),
      text: renderTemplate(String(c.Message ?? DEFAULT_EMAIL_MFA_MESSAGE), vars),
    });
    return {
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: maskDestination('email', to),
    };
  }

  /** Whether this is one of the MFA challenges (RespondToAuthChallenge routes them here). */
  static handles(challenge: string): boolean {
    return ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'SELECT_MFA_TYPE', 'MFA_SETUP'].includes(challenge);
  }

  /**
   * RespondToAuthChallenge for the MFA challenges. A wrong code keeps the session open (CodeMismatchException) for
   * up to five tries; the session and its code end after AuthSessionValidity.
   */
  async respond(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
    finish: FinishSignIn,
  ): Promise<AuthStep> {
    if (!session) throw new InvalidParameterException('Missing required parameter Session');
    const s = this.core.store.sessions.take(sha256(session));
    const data = s?.data as MfaSessionData | undefined;
    if (!s || !data || s.kind !== 'MFA' || s.clientId !== client.id || s.expiresAt <= this.core.now()) {
      throw invalidSession();
    }
    if (data.challenge !== challenge) throw invalidSession();
    const pool = this.core.requirePool(s.poolId);
    const user = this.core.store.users.get(pool.id, data.ukey);
    if (!user) throw invalidSession();
    this.core.checkSecretHash(client, [responses.USERNAME, user.username], responses.SECRET_HASH);
    if (challenge === 'SELECT_MFA_TYPE') {
      const answer = responses.ANSWER as MfaFactor;
      if (!data.choices?.includes(answer)) {
        this.core.store.sessions.insert(s);
        throw new InvalidParameterException('ANSWER must be one of the MFA types offered.');
      }
      return this.#start(pool, client, user, answer);
    }
    if (challenge === 'MFA_SETUP') {
      if (!data.setupDone) {
        this.core.store.sessions.insert(s);
        throw new InvalidParameterException('Verify the software token with VerifySoftwareToken first.');
      }
      return finish(user);
    }
    const factor = challenge as MfaFactor;
    const field = CODE_FIELD[factor];
    const code = responses[field];
    if (!code) {
      this.core.store.sessions.insert(s);
      throw new InvalidParameterException(`Missing required parameter ${field}`);
    }
    if (!this.#codeMatches(pool, user, factor, data, code)) {
      if (data.attempts + 1 < MFA_MAX_ATTEMPTS) {
        this.core.store.sessions.insert({ ...s, data: { ...data, attempts: data.attempts + 1 } });
      }
      throw new CodeMismatchException('Invalid code received for user');
    }
    return finish(user);
  }

  #codeMatches(
    pool: PoolRecord,
    user: UserRecord,
    factor: MfaFactor,
    data: MfaSessionData,
    code: string,
  ): boolean {
    if (factor === 'SOFTWARE_TOKEN_MFA') {
      const settings = this.core.store.mfa.get(pool.id, user.ukey);
      if (!settings.totpSecret || !settings.totpVerified) return false;
      const step = matchTotp(settings.totpSecret, code, this.core.now());
      // No code twice: the step must be later than the last one accepted.
      return step !== undefined && this.core.store.mfa.useTotpStep(pool.id, user.ukey, step);
    }
    if (!data.codeHash) return false;
    return timingSafeEqual(Buffer.from(sha256(code)), Buffer.from(data.codeHash));
  }
}
