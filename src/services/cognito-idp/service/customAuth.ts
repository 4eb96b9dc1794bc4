import type { AuthSessionRecord, ClientRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import {
  InvalidLambdaResponseException,
  InvalidParameterException,
  NotAuthorizedException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '../errors.js';
import * as srp from '../srp/index.js';
import type { AuthService, AuthStep } from './auth.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import { MfaService } from './mfa.js';
import { incorrect } from './passwordCheck.js';
import { allowedFlows, preventUserExistenceErrors, tokenValidity } from './settings.js';
import type { ChallengeResult, ChallengeUser } from './triggers.js';

/** The session kind of a custom sign-in in progress. */
const KIND = 'CUSTOM_AUTH';
/** Beside an MFA challenge session: the custom sign-in it interrupts, resumed when the code is right. */
const MFA_KIND = 'CUSTOM_AUTH_MFA';
const mfaLink = (session: string) => `custom-mfa:${sha256(session)}`;

/**
 * Custom challenges one sign-in may go through before it is refused. Cognito bounds the loop; the documentation
 * gives no figure, so this one is ours [unverified].
 */
export const MAX_CHALLENGE_ROUNDS = 8;

interface CustomSessionData {
  /** The user's key; absent when the user does not exist (PreventUserExistenceErrors ENABLED). */
  ukey?: string;
  /** The internal username, or the name as typed for an unknown user. */
  username: string;
  history: ChallengeResult[];
  /** The challenge this session waits for. */
  expect: 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER';
  /** CUSTOM_CHALLENGE: what CreateAuthChallenge gave the verifier, and its name for the round. */
  privateChallengeParameters?: Record<string, string>;
  challengeMetadata?: string;
  /** PASSWORD_VERIFIER: the SRP state; `simulated` for an unknown user. */
  srp?: { b: string; B: string; A: string; secretBlockHash: string; simulated?: boolean };
}

interface Subject {
  user: UserRecord | undefined;
  username: string;
}

const invalidSession = () => new NotAuthorizedException('Invalid session for the user, session is expired.');
const notConfigured = () =>
  new InvalidParameterException('Custom auth lambda trigger is not configured for the user pool.');

/**
 * The custom authentication flow (AuthFlow CUSTOM_AUTH): DefineAuthChallenge drives the rounds, CreateAuthChallenge
 * makes each CUSTOM_CHALLENGE and VerifyAuthChallengeResponse judges its ANSWER. With `CHALLENGE_NAME: SRP_A` the
 * flow starts with SRP (Amplify's CUSTOM_WITH_SRP): PASSWORD_VERIFIER first, then the custom rounds. Every step hands
 * out a new single-use session that lasts the client's AuthSessionValidity (3 minutes by default).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html#amazon-cognito-user-pools-custom-authentication-flow
 */
export class CustomAuthService {
  constructor(
    private readonly core: Core,
    private readonly auth: AuthService,
    private readonly mfa: MfaService,
  ) {}

  /**
   * InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
   */
  async initiate(
    client: ClientRecord,
    params: Record<string, string>,
    clientMetadata?: Record<string, string>,
  ): Promise<AuthStep> {
    if (!allowedFlows(client).has('CUSTOM_AUTH')) {
      throw new InvalidParameterException('CUSTOM_AUTH flow not enabled for this client');
    }
    const pool = this.core.requirePool(client.poolId);
    const username = params.USERNAME;
    if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
    const withSrp = params.CHALLENGE_NAME === 'SRP_A';
    if (withSrp && !params.SRP_A) throw new InvalidParameterException('Missing required parameter SRP_A');
    if (withSrp && !isSrpA(params.SRP_A as string)) throw new NotAuthorizedException('Invalid SRP_A value.');
    const user = this.core.findUser(pool, username);
    this.core.checkSecretHash(client, [username, user?.username], params.SECRET_HASH);
    if (!user && preventUserExistenceErrors(client) !== 'ENABLED') {
      throw new UserNotFoundException('User does not exist.');
    }
    if (user) {
      if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
      if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
      await this.core.triggers(pool).preAuthentication({
        username: user.username,
        userAttributes: user.attributes,
        clientId: client.id,
        ...(clientMetadata ? { clientMetadata } : {}),
      });
    }
    const subject: Subject = { user, username: user?.username ?? username };
    const history: ChallengeResult[] = withSrp ? [{ challengeName: 'SRP_A', challengeResult: true }] : [];
    return this.#next(pool, client, subject, history, clientMetadata, withSrp ? params.SRP_A : undefined);
  }

  /** Whether a RespondToAuthChallenge belongs to a custom sign-in (PASSWORD_VERIFIER only through its session). */
  owns(challenge: string, session: string | undefined): boolean {
    if (challenge === 'CUSTOM_CHALLENGE') return true;
    if (!session) return false;
    if (MfaService.handles(challenge)) return this.#peek(mfaLink(session))?.kind === MFA_KIND;
    return challenge === 'PASSWORD_VERIFIER' && this.#peek(sha256(session))?.kind === KIND;
  }

  /** A session record, left in place (the store only hands them out by taking them). */
  #peek(id: string): AuthSessionRecord | undefined {
    const s = this.core.store.sessions.take(id);
    if (s) this.core.store.sessions.insert(s);
    return s;
  }

  /**
   * RespondToAuthChallenge / AdminRespondToAuthChallenge: CUSTOM_CHALLENGE (ANSWER) and, in a custom flow started
   * with SRP, PASSWORD_VERIFIER.
   */
  async respond(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
    clientMetadata?: Record<string, string>,
  ): Promise<AuthStep> {
    if (!session) throw new InvalidParameterException('Missing required parameter Session');
    if (MfaService.handles(challenge))
      return this.#respondMfa(client, challenge, responses, session, clientMetadata);
    const s = this.core.store.sessions.take(sha256(session));
    const data = s?.data as CustomSessionData | undefined;
    if (!s || !data || s.kind !== KIND || s.clientId !== client.id || s.expiresAt <= this.core.now()) {
      throw invalidSession();
    }
    if (data.expect !== challenge) throw invalidSession();
    const pool = this.core.requirePool(s.poolId);
    const user = data.ukey === undefined ? undefined : this.core.store.users.get(pool.id, data.ukey);
    if (data.ukey !== undefined && !user) throw invalidSession();
    const subject: Subject = { user, username: data.username };
    this.core.checkSecretHash(client, [responses.USERNAME, subject.username], responses.SECRET_HASH);
    if (challenge === 'PASSWORD_VERIFIER') {
      await this.#verifyPassword(pool, subject, data, responses);
      const history = [...data.history, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
      // "If MFA is enabled for a user, it is handled automatically after the password is verified."
      const mfa = user ? await this.mfa.challengeFor(pool, client, user) : undefined;
      if (mfa?.Session && user) {
        this.#link(pool, client, mfa.Session, { ukey: user.ukey, username: subject.username, history });
        return mfa;
      }
      return this.#next(pool, client, subject, history, clientMetadata);
    }
    const answer = responses.ANSWER;
    if (answer === undefined) {
      this.core.store.sessions.insert(s);
      throw new InvalidParameterException('Missing required parameter ANSWER');
    }
    const correct = await this.core.triggers(pool).verifyAuthChallengeResponse({
      ...this.#challengeUser(client, subject, clientMetadata),
      privateChallengeParameters: data.privateChallengeParameters ?? {},
      challengeAnswer: answer,
    });
    if (correct === undefined) throw notConfigured();
    const round: ChallengeResult = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: correct };
    if (data.challengeMetadata !== undefined) round.challengeMetadata = data.challengeMetadata;
    return this.#next(pool, client, subject, [...data.history, round], clientMetadata);
  }

  /**
   * An MFA challenge inside the custom flow: the MFA service checks the code; when the factor passed, the round joins
   * the history and DefineAuthChallenge decides what comes next. A step to another MFA challenge (SELECT_MFA_TYPE)
   * carries the link to its new session.
   */
  async #respondMfa(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<AuthStep> {
    const link = this.#peek(mfaLink(session));
    const data = link?.data as Pick<CustomSessionData, 'ukey' | 'username' | 'history'> | undefined;
    if (!link || !data || link.kind !== MFA_KIND || link.clientId !== client.id) throw invalidSession();
    const pool = this.core.requirePool(link.poolId);
    let passed = false;
    const step = await this.mfa.respond(client, challenge, responses, session, async (user) => {
      passed = true;
      const history = [...data.history, { challengeName: challenge, challengeResult: true }];
      return this.#next(pool, client, { user, username: data.username }, history, clientMetadata);
    });
    this.core.store.sessions.take(mfaLink(session));
    if (!passed && step.Session) this.#link(pool, client, step.Session, data);
    return step;
  }

  #link(
    pool: PoolRecord,
    client: ClientRecord,
    mfaSession: string,
    data: Pick<CustomSessionData, 'ukey' | 'username' | 'history'>,
  ): void {
    this.core.store.sessions.insert({
      id: mfaLink(mfaSession),
      poolId: pool.id,
      clientId: client.id,
      kind: MFA_KIND,
      data: { ...data },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
  }

  #challengeUser(
    client: ClientRecord,
    subject: Subject,
    clientMetadata: Record<string, string> | undefined,
  ): ChallengeUser {
    return {
      username: subject.username,
      userAttributes: subject.user?.attributes ?? {},
      ...(subject.user ? { userStatus: subject.user.status } : {}),
      clientId: client.id,
      userNotFound: subject.user === undefined,
      ...(clientMetadata ? { clientMetadata } : {}),
    };
  }

  /** Asks DefineAuthChallenge what comes after `history`, and carries it out. */
  async #next(
    pool: PoolRecord,
    client: ClientRecord,
    subject: Subject,
    history: ChallengeResult[],
    clientMetadata: Record<string, string> | undefined,
    srpA?: string,
  ): Promise<AuthStep> {
    const triggers = this.core.triggers(pool);
    const who = this.#challengeUser(client, subject, clientMetadata);
    const define = await triggers.defineAuthChallenge({ ...who, session: history });
    if (!define) throw notConfigured();
    if (define.failAuthentication) throw incorrect();
    if (define.issueTokens) {
      // An unknown user never gets tokens, whatever the function says.
      if (!subject.user) throw incorrect();
      return this.auth.forUserAuth.tokens(pool, client, subject.user);
    }
    if (define.challengeName === 'PASSWORD_VERIFIER' && srpA !== undefined) {
      return this.#startSrp(pool, client, subject, history, srpA);
    }
    if (define.challengeName !== 'CUSTOM_CHALLENGE') {
      throw new InvalidLambdaResponseException('Unrecognizable lambda output');
    }
    if (history.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE').length >= MAX_CHALLENGE_ROUNDS) {
      throw incorrect();
    }
    const created = await triggers.createAuthChallenge({
      ...who,
      challengeName: 'CUSTOM_CHALLENGE',
      session: history,
    });
    if (!created) throw notConfigured();
    const data: CustomSessionData = {
      username: subject.username,
      history,
      expect: 'CUSTOM_CHALLENGE',
      privateChallengeParameters: created.privateChallengeParameters,
      ...(subject.user ? { ukey: subject.user.ukey } : {}),
      ...(created.challengeMetadata !== undefined ? { challengeMetadata: created.challengeMetadata } : {}),
    };
    return {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: this.#open(pool, client, data),
      ChallengeParameters: { ...created.publicChallengeParameters, USERNAME: subject.username },
    };
  }

  /** SRP step 1 inside the custom flow: PASSWORD_VERIFIER with SALT, SRP_B and SECRET_BLOCK, and a Session. */
  #startSrp(
    pool: PoolRecord,
    client: ClientRecord,
    subject: Subject,
    history: ChallengeResult[],
    A: string,
  ): AuthStep {
    const secretBlock = srp.newSecretBlock();
    const { user } = subject;
    let salt: string;
    let srpState: NonNullable<CustomSessionData['srp']>;
    if (user?.srpVerifier && user.srpSalt) {
      this.auth.checkLock(user);
      const { b, B } = srp.startSession(user.srpVerifier);
      salt = user.srpSalt;
      srpState = { b, B, A, secretBlockHash: sha256(secretBlock) };
    } else {
      // An unknown user (or one without a password): the same shape as a real challenge, refused at step 2.
      const fake = srp.simulatedChallenge(pool.id, subject.username, this.core.srpSecret);
      salt = fake.salt;
      srpState = { b: '', B: fake.B, A, secretBlockHash: sha256(secretBlock), simulated: true };
    }
    const data: CustomSessionData = {
      username: subject.username,
      history,
      expect: 'PASSWORD_VERIFIER',
      srp: srpState,
      ...(user ? { ukey: user.ukey } : {}),
    };
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: this.#open(pool, client, data),
      ChallengeParameters: {
        SALT: salt,
        SRP_B: srpState.B,
        SECRET_BLOCK: secretBlock,
        USERNAME: subject.username,
        USER_ID_FOR_SRP: subject.username,
      },
    };
  }

  /** SRP step 2 under the lockout: a wrong password ends the sign-in as in the plain SRP flow. */
  async #verifyPassword(
    pool: PoolRecord,
    subject: Subject,
    data: CustomSessionData,
    responses: Record<string, string>,
  ): Promise<void> {
    const block = responses.PASSWORD_CLAIM_SECRET_BLOCK;
    if (!block) throw new InvalidParameterException('Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK');
    const state = data.srp;
    if (!state || sha256(block) !== state.secretBlockHash) throw invalidSession();
    if (state.simulated || !subject.user) throw incorrect();
    this.auth.passwordClaim(pool, subject.user, state, block, responses);
  }

  #open(pool: PoolRecord, client: ClientRecord, data: CustomSessionData): string {
    const session = this.core.ids.opaque(96);
    const record: AuthSessionRecord = {
      id: sha256(session),
      poolId: pool.id,
      clientId: client.id,
      kind: KIND,
      data: { ...data },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    };
    this.core.store.sessions.insert(record);
    return session;
  }
}

function isSrpA(A: string): boolean {
  return /^[0-9a-fA-F]{1,2048}$/.test(A) && BigInt(`0x${A}`) % srp.N !== 0n;
}
