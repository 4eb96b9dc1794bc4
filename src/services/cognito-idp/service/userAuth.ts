import { randomInt, timingSafeEqual } from 'node:crypto';
import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import {
  CodeMismatchException,
  InvalidParameterException,
  NotAuthorizedException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '../errors.js';
import { renderTemplate } from '../mail/template.js';
import { maskDestination } from './attributes.js';
import type { AuthService, AuthStep } from './auth.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import { type FinishSignIn, MFA_MAX_ATTEMPTS } from './mfa.js';
import {
  DEFAULT_EMAIL_MFA_MESSAGE,
  DEFAULT_EMAIL_MFA_SUBJECT,
  DEFAULT_SMS_MFA_MESSAGE,
} from './mfaConfig.js';
import { allowedFlows, asObject, preventUserExistenceErrors, tokenValidity } from './settings.js';
import {
  allowedFirstFactors,
  type FirstChallenge,
  isFirstChallenge,
  userChallenges,
} from './userAuthConfig.js';

/** The session kind of a USER_AUTH sign-in in progress. */
const KIND = 'USER_AUTH';
/** The session kind ConfirmSignUp hands out for the sign-in straight after sign-up (Amplify's autoSignIn). */
const SIGN_UP_KIND = 'SIGN_UP_AUTO';

interface UserAuthSessionData {
  ukey: string;
  /** The challenge this session waits for. */
  challenge: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
  available?: FirstChallenge[];
  codeHash?: string;
  attempts: number;
  /** WEB_AUTHN: the assertion challenge issued. */
  webAuthnChallenge?: string;
}

const invalidSession = () => new NotAuthorizedException('Invalid session for the user, session is expired.');

/** The passkey factor, plugged in by the passkey module. */
export interface WebAuthnFactor {
  /** How many passkeys the user has. */
  count(pool: PoolRecord, user: UserRecord): number;
  /** CREDENTIAL_REQUEST_OPTIONS for a new assertion, and the challenge to remember. */
  requestOptions(pool: PoolRecord, user: UserRecord): Promise<{ options: string; challenge: string }>;
  /** Verifies the CREDENTIAL answer; throws Cognito's error when it does not hold. */
  verify(pool: PoolRecord, user: UserRecord, credential: string, challenge: string): Promise<void>;
}

/**
 * Choice-based sign-in (the USER_AUTH flow): SELECT_CHALLENGE, or the PREFERRED_CHALLENGE directly; the first
 * factors PASSWORD, PASSWORD_SRP, EMAIL_OTP (8-digit codes by mail), SMS_OTP (to the outbox) and WEB_AUTHN; and the
 * sign-in straight after ConfirmSignUp with the Session it returned. A password first factor goes on to MFA as the
 * pool requires; a passwordless one ends the sign-in (it is already something the user has).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html
 */
export class UserAuthService {
  webAuthn: WebAuthnFactor | undefined;

  constructor(
    private readonly core: Core,
    private readonly auth: AuthService,
  ) {}

  /** The PreAuthentication trigger, before a first factor is checked or a code or passkey request sent. */
  #preAuthentication(pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<void> {
    return this.core
      .triggers(pool)
      .preAuthentication({ username: user.username, userAttributes: user.attributes, clientId: client.id });
  }

  #requireUserAuth(client: ClientRecord): void {
    if (!allowedFlows(client).has('USER_AUTH')) {
      throw new InvalidParameterException('USER_AUTH flow not enabled for this client');
    }
  }

  #passkeys(pool: PoolRecord, user: UserRecord): number {
    return this.webAuthn?.count(pool, user) ?? 0;
  }

  /** The session ConfirmSignUp returns to a client that allows USER_AUTH, or undefined. */
  signUpSession(client: ClientRecord, user: UserRecord): string | undefined {
    if (!allowedFlows(client).has('USER_AUTH')) return undefined;
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({
      id: sha256(session),
      poolId: user.poolId,
      clientId: client.id,
      kind: SIGN_UP_KIND,
      data: { ukey: user.ukey },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
    return session;
  }

  /**
   * InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
   */
  async initiate(client: ClientRecord, params: Record<string, string>, session?: string): Promise<AuthStep> {
    this.#requireUserAuth(client);
    const pool = this.core.requirePool(client.poolId);
    const username = params.USERNAME;
    if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
    const preferred = params.PREFERRED_CHALLENGE;
    if (preferred !== undefined && !isFirstChallenge(preferred)) {
      throw new InvalidParameterException(
        `PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN.`,
      );
    }
    const found = this.core.findUser(pool, username);
    this.core.checkSecretHash(client, [username, found?.username], params.SECRET_HASH);
    if (session !== undefined) return this.#afterSignUp(pool, client, session, found);
    if (preferred === 'PASSWORD_SRP') {
      this.#requireAllowed(pool, 'PASSWORD');
      return this.auth.forUserAuth.startSrp(pool, client, params);
    }
    if (preferred === 'PASSWORD') {
      this.#requireAllowed(pool, 'PASSWORD');
      if (params.PASSWORD === undefined)
        throw new InvalidParameterException('Missing required parameter PASSWORD');
      if (found) await this.#preAuthentication(pool, client, found);
      const { user } = await this.auth.authenticatePasswordAsync(client, username, params.PASSWORD, found);
      return this.auth.forUserAuth.afterPassword(pool, client, user);
    }
    if (preferred) this.#requireAllowed(pool, preferred === 'WEB_AUTHN' ? 'WEB_AUTHN' : preferred);
    const user = this.#signInUser(client, found);
    const available = userChallenges(pool, client, user, this.#passkeys(pool, user));
    if (preferred && available.includes(preferred)) return this.#start(pool, client, user, preferred);
    return this.#selectChallenge(pool, client, user, available);
  }

  /** A factor the pool does not allow as a first factor is refused (the wording is ours [unverified]). */
  #requireAllowed(pool: PoolRecord, factor: 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN'): void {
    if (!allowedFirstFactors(pool).includes(factor)) {
      throw new InvalidParameterException(
        `${factor} is not an allowed first auth factor for this user pool.`,
      );
    }
  }

  /** The user of a passwordless sign-in: known, enabled and confirmed. */
  #signInUser(client: ClientRecord, user: UserRecord | undefined): UserRecord {
    if (!user) {
      throw preventUserExistenceErrors(client) === 'ENABLED'
        ? new NotAuthorizedException('Incorrect username or password.')
        : new UserNotFoundException('User does not exist.');
    }
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
    return user;
  }

  /** InitiateAuth with ConfirmSignUp's Session: the same user on the same client signs in without a factor. */
  async #afterSignUp(
    pool: PoolRecord,
    client: ClientRecord,
    session: string,
    found: UserRecord | undefined,
  ): Promise<AuthStep> {
    const s = this.core.store.sessions.take(sha256(session));
    if (
      !s ||
      s.kind !== SIGN_UP_KIND ||
      s.clientId !== client.id ||
      s.expiresAt <= this.core.now() ||
      !found ||
      found.ukey !== s.data.ukey
    ) {
      throw invalidSession();
    }
    const user = this.#signInUser(client, found);
    return this.auth.forUserAuth.tokens(pool, client, user);
  }

  #selectChallenge(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    available: FirstChallenge[],
  ): AuthStep & { AvailableChallenges: string[] } {
    const session = this.#open(pool, client, {
      ukey: user.ukey,
      challenge: 'SELECT_CHALLENGE',
      available,
      attempts: 0,
    });
    return {
      ChallengeName: 'SELECT_CHALLENGE' as AuthStep['ChallengeName'],
      Session: session,
      ChallengeParameters: {},
      AvailableChallenges: available,
    };
  }

  #open(pool: PoolRecord, client: ClientRecord, data: UserAuthSessionData): string {
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({
      id: sha256(session),
      poolId: pool.id,
      clientId: client.id,
      kind: KIND,
      data: { ...data },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
    return session;
  }

  /** Starts a passwordless challenge: the code sent, or the passkey request options. */
  async #start(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    challenge: 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN',
  ): Promise<AuthStep> {
    await this.#preAuthentication(pool, client, user);
    const data: UserAuthSessionData = { ukey: user.ukey, challenge, attempts: 0 };
    let params: Record<string, string>;
    if (challenge === 'WEB_AUTHN') {
      if (!this.webAuthn) throw new InvalidParameterException('WEB_AUTHN is not available.');
      const { options, challenge: c } = await this.webAuthn.requestOptions(pool, user);
      data.webAuthnChallenge = c;
      params = { CREDENTIAL_REQUEST_OPTIONS: options };
    } else {
      // Cognito's sign-in codes are 8 digits.
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      data.codeHash = sha256(code);
      params = await this.#sendCode(pool, user, challenge, code);
    }
    return {
      ChallengeName: challenge as AuthStep['ChallengeName'],
      Session: this.#open(pool, client, data),
      ChallengeParameters: params,
    };
  }

  async #sendCode(
    pool: PoolRecord,
    user: UserRecord,
    factor: 'EMAIL_OTP' | 'SMS_OTP',
    code: string,
  ): Promise<Record<string, string>> {
    const vars = { code, username: user.username };
    if (factor === 'SMS_OTP') {
      const to = user.attributes.phone_number as string;
      const template = String(
        asObject(pool.config.SmsMfaConfiguration).SmsAuthenticationMessage ?? DEFAULT_SMS_MFA_MESSAGE,
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

  /**
   * Whether this RespondToAuthChallenge belongs to a USER_AUTH sign-in (EMAIL_OTP is also an MFA challenge: the
   * session tells them apart).
   */
  owns(challenge: string, session: string | undefined): boolean {
    if (challenge === 'SELECT_CHALLENGE' || challenge === 'SMS_OTP' || challenge === 'WEB_AUTHN') return true;
    if (challenge !== 'EMAIL_OTP' || !session) return false;
    const s = this.core.store.sessions.take(sha256(session));
    if (!s) return false;
    this.core.store.sessions.insert(s);
    return s.kind === KIND;
  }

  /**
   * RespondToAuthChallenge for SELECT_CHALLENGE (ANSWER, with PASSWORD or SRP_A for the password factors),
   * EMAIL_OTP (EMAIL_OTP_CODE), SMS_OTP (SMS_OTP_CODE) and WEB_AUTHN (CREDENTIAL). `finish` ends a passwordless
   * sign-in that passed (the API flows' tokens by default; the Hosted UI signs its browser in instead).
   */
  async respond(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
    finish?: FinishSignIn,
  ): Promise<AuthStep> {
    if (!session) throw new InvalidParameterException('Missing required parameter Session');
    const s = this.core.store.sessions.take(sha256(session));
    const data = s?.data as UserAuthSessionData | undefined;
    if (!s || !data || s.kind !== KIND || s.clientId !== client.id || s.expiresAt <= this.core.now()) {
      throw invalidSession();
    }
    if (data.challenge !== challenge) throw invalidSession();
    const pool = this.core.requirePool(s.poolId);
    const user = this.core.store.users.get(pool.id, data.ukey);
    if (!user) throw invalidSession();
    this.core.checkSecretHash(client, [responses.USERNAME, user.username], responses.SECRET_HASH);
    const done = finish ?? ((u: UserRecord) => this.auth.forUserAuth.tokens(pool, client, u));
    if (challenge === 'SELECT_CHALLENGE') return this.#answerSelect(pool, client, user, s, data, responses);
    if (challenge === 'WEB_AUTHN') {
      const credential = responses.CREDENTIAL;
      if (!credential || !this.webAuthn || !data.webAuthnChallenge) {
        throw new InvalidParameterException('Missing required parameter CREDENTIAL');
      }
      await this.webAuthn.verify(pool, user, credential, data.webAuthnChallenge);
      return done(user);
    }
    const field = challenge === 'EMAIL_OTP' ? 'EMAIL_OTP_CODE' : 'SMS_OTP_CODE';
    const code = responses[field];
    if (!code) {
      this.core.store.sessions.insert(s);
      throw new InvalidParameterException(`Missing required parameter ${field}`);
    }
    const ok =
      data.codeHash !== undefined && timingSafeEqual(Buffer.from(sha256(code)), Buffer.from(data.codeHash));
    if (!ok) {
      if (data.attempts + 1 < MFA_MAX_ATTEMPTS) {
        this.core.store.sessions.insert({ ...s, data: { ...data, attempts: data.attempts + 1 } });
      }
      throw new CodeMismatchException('Invalid code received for user');
    }
    return done(user);
  }

  async #answerSelect(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    s: AuthSessionRecord,
    data: UserAuthSessionData,
    responses: Record<string, string>,
  ): Promise<AuthStep> {
    const answer = responses.ANSWER ?? '';
    if (!isFirstChallenge(answer) || !data.available?.includes(answer)) {
      this.core.store.sessions.insert(s);
      throw new InvalidParameterException('ANSWER must be one of the available challenges.');
    }
    if (answer === 'PASSWORD') {
      if (responses.PASSWORD === undefined) {
        this.core.store.sessions.insert(s);
        throw new InvalidParameterException('Missing required parameter PASSWORD');
      }
      await this.#preAuthentication(pool, client, user);
      const { user: checked } = await this.auth.authenticatePasswordAsync(
        client,
        user.username,
        responses.PASSWORD,
        user,
      );
      return this.auth.forUserAuth.afterPassword(pool, client, checked);
    }
    if (answer === 'PASSWORD_SRP') {
      return this.auth.forUserAuth.startSrp(pool, client, {
        USERNAME: user.username,
        SRP_A: responses.SRP_A ?? '',
      });
    }
    return this.#start(pool, client, user, answer);
  }
}
