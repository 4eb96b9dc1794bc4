import type { AuthenticationResultType, ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord, DeviceRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import {
  InvalidParameterException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '../errors.js';
import * as srp from '../srp/index.js';
import type { Core } from './core.js';
import { DeviceService } from './devices.js';
import { sha256 } from './ids.js';
import { MfaService } from './mfa.js';
import { answerNewPassword } from './newPassword.js';
import { incorrect, PasswordChecker, type SrpSession } from './passwordCheck.js';
import {
  ADMIN_SCOPE,
  type AuthFlow,
  allowedFlows,
  preventUserExistenceErrors,
  refreshTokenRotation,
  requiredAttributes,
  tokenValidity,
} from './settings.js';
import { TokenService } from './tokens.js';
import { migrated } from './userMigration.js';

/** InitiateAuth / RespondToAuthChallenge output, in Cognito's wire names. */
export interface AuthStep {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
}

/** The outcome of checking a password (Hosted UI login and the password flows). */
export type PasswordOutcome = { user: UserRecord; newPasswordRequired: boolean };

/**
 * Sign-in: the password flows, SRP, refresh, challenges (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED) and the lockout.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html
 */
export class AuthService {
  /** A verifier no password matches, to spend equal time on unknown users. */
  #dummy: { salt: string; verifier: string } | undefined;
  readonly #passwords: PasswordChecker;

  constructor(
    private readonly core: Core,
    private readonly tokens: TokenService,
    private readonly mfa: MfaService,
    private readonly devices: DeviceService,
  ) {
    this.#passwords = new PasswordChecker(core);
  }

  /** Checks a user's password against the stored SRP verifier under the lockout rules, on the calling thread. */
  passwordMatches(pool: PoolRecord, user: UserRecord, password: string): boolean {
    return this.#passwords.checkSync(pool, user, password) !== undefined;
  }

  /** The password check with the maths on the SRP workers: the user as checked, or undefined when wrong. */
  checkPasswordAsync(pool: PoolRecord, user: UserRecord, password: string): Promise<UserRecord | undefined> {
    return this.#passwords.checkAsync(pool, user, password);
  }

  /** Throws "Password attempts exceeded" while the user is locked out (a read: only an attempt counts). */
  checkLock(user: UserRecord): void {
    this.#passwords.checkLock(user);
  }

  /**
   * SRP step 2 under the lockout, for PASSWORD_VERIFIER and CUSTOM_AUTH's SRP step alike: the attempt is counted, the
   * PASSWORD_CLAIM_SIGNATURE is checked against the verifier stored now (not the one the challenge was built from),
   * and a correct claim clears the count. Returns the user as checked; throws "Incorrect username or password."
   */
  passwordClaim(
    pool: PoolRecord,
    user: UserRecord,
    session: SrpSession,
    secretBlock: string,
    responses: Record<string, string>,
  ): UserRecord {
    return this.#passwords.checkClaim(pool, user, session, secretBlock, responses);
  }

  /** Status checks after a correct password, in Cognito's order. */
  #checkStatus(user: UserRecord): { newPasswordRequired: boolean } {
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
    if (user.status === 'RESET_REQUIRED')
      throw new PasswordResetRequiredException('Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if (user.tempPasswordExpiresAt !== undefined && user.tempPasswordExpiresAt <= this.core.now()) {
        throw new NotAuthorizedException(
          'Temporary password has expired and must be reset by an administrator.',
        );
      }
      return { newPasswordRequired: true };
    }
    return { newPasswordRequired: false };
  }

  /** A verifier no password matches, to spend equal time on unknown users. */
  #dummyVerifier(pool: PoolRecord): { salt: string; verifier: string } {
    this.#dummy ??= srp.createVerifier(pool.id, 'dummy', this.core.ids.uuid());
    return this.#dummy;
  }

  #unknownUser(client: ClientRecord): Error {
    return preventUserExistenceErrors(client) === 'ENABLED'
      ? incorrect()
      : new UserNotFoundException('User does not exist.');
  }

  /**
   * Username + password check (the password flows): user lookup (aliases included, UserMigration for an unknown
   * user), lockout, password, then status. Unknown users get UserNotFoundException, or a generic
   * NotAuthorizedException when the client has PreventUserExistenceErrors ENABLED (after the same work as a real
   * check, so response time does not reveal whether the user exists). The maths runs on the SRP workers.
   */
  async authenticatePasswordAsync(
    client: ClientRecord,
    username: string,
    password: string,
    found?: UserRecord,
  ): Promise<PasswordOutcome> {
    const pool = this.core.requirePool(client.poolId);
    const user =
      found ?? this.core.findUser(pool, username) ?? (await migrated(this.core, client, username, password));
    if (!user) {
      if (preventUserExistenceErrors(client) === 'ENABLED') {
        const d = this.#dummyVerifier(pool);
        await this.core.srp.verifyPassword(pool.id, username, password, d.salt, d.verifier);
      }
      throw this.#unknownUser(client);
    }
    const current = await this.#passwords.checkAsync(pool, user, password);
    if (!current) throw incorrect();
    return { user: current, ...this.#checkStatus(current) };
  }

  /**
   * A username-and-password first factor, as USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the Hosted UI's /login
   * check it: the PreAuthentication trigger for a known user (`found`, looked up when not given), the UserMigration
   * trigger for an unknown one, then the password and the status.
   */
  async passwordFirstFactor(
    client: ClientRecord,
    username: string,
    password: string,
    found?: UserRecord,
  ): Promise<PasswordOutcome> {
    const pool = this.core.requirePool(client.poolId);
    const user = found ?? this.core.findUser(pool, username);
    if (user) await this.#preAuthentication(pool, client, user);
    return this.authenticatePasswordAsync(client, username, password, user);
  }

  /**
   * The PostAuthentication trigger, once a sign-in passed every factor (API flows before their tokens, the Hosted UI
   * before its redirect); a function error refuses the sign-in.
   */
  postAuthentication(
    p: PoolRecord,
    c: ClientRecord,
    user: UserRecord,
    newDeviceUsed: boolean,
  ): Promise<void> {
    return this.core.triggers(p).postAuthentication({
      username: user.username,
      userAttributes: user.attributes,
      clientId: c.id,
      newDeviceUsed,
    });
  }

  /**
   * Refuses a flow the client's ExplicitAuthFlows leave out. Cognito words the SRP refusal differently from the
   * others ("USER_SRP_AUTH is not enabled for the client.", as captured from real pools).
   */
  #requireFlow(client: ClientRecord, flow: AuthFlow, wireName: string): void {
    if (!allowedFlows(client).has(flow)) {
      throw new InvalidParameterException(
        flow === 'USER_SRP_AUTH'
          ? 'USER_SRP_AUTH is not enabled for the client.'
          : `${wireName} flow not enabled for this client`,
      );
    }
  }

  /** Tokens for an API-flow sign-in (scope aws.cognito.signin.user.admin); a new device key unless one signed in. */
  async #tokensFor(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    device?: string,
  ): Promise<AuthStep> {
    const meta = device === undefined ? this.devices.newDevice(pool, user) : undefined;
    await this.postAuthentication(pool, client, user, meta !== undefined);
    const issued = await this.tokens.issue({
      pool,
      client,
      user,
      scopes: [ADMIN_SCOPE],
      withRefreshToken: true,
      apiFlow: true,
      triggerSource: 'TokenGeneration_Authentication',
      deviceKey: device ?? meta?.DeviceKey,
    });
    const result = { ...TokenService.result(issued), ...(meta ? { NewDeviceMetadata: meta } : {}) };
    return { ChallengeParameters: {}, AuthenticationResult: result };
  }

  /** The PreAuthentication trigger, before a known user's password is checked. */
  #preAuthentication(pool: PoolRecord, client: ClientRecord, user: UserRecord): Promise<void> {
    return this.core.triggers(pool).preAuthentication({
      username: user.username,
      userAttributes: user.attributes,
      clientId: client.id,
    });
  }

  /** NEW_PASSWORD_REQUIRED: a session the client answers with NEW_PASSWORD. */
  #newPasswordChallenge(pool: PoolRecord, client: ClientRecord, user: UserRecord): AuthStep {
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({
      id: sha256(session),
      poolId: pool.id,
      clientId: client.id,
      kind: 'NEW_PASSWORD_REQUIRED',
      data: { ukey: user.ukey },
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
    const shown = Object.fromEntries(
      Object.entries(user.attributes).filter(([k]) => k !== 'sub' && !k.endsWith('_verified')),
    );
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: JSON.stringify(
          requiredAttributes(pool)
            .filter((a) => !user.attributes[a])
            .map((a) => `userAttributes.${a}`),
        ),
        userAttributes: JSON.stringify(shown),
      },
    };
  }

  /** USER_AUTH's steps shared with the password flows (SRP step 1 without the USER_SRP_AUTH check). */
  readonly forUserAuth = {
    afterPassword: (p: PoolRecord, c: ClientRecord, u: UserRecord) => this.#afterPassword(p, c, u),
    tokens: (p: PoolRecord, c: ClientRecord, u: UserRecord) => this.#tokensFor(p, c, u),
    startSrp: (p: PoolRecord, c: ClientRecord, q: Record<string, string>) => this.#startSrp(p, c, q),
  };

  async #afterPassword(
    p: PoolRecord,
    c: ClientRecord,
    user: UserRecord,
    d?: DeviceRecord,
  ): Promise<AuthStep> {
    const { newPasswordRequired } = this.#checkStatus(user);
    if (newPasswordRequired) return this.#newPasswordChallenge(p, c, user);
    return this.#secondFactor(p, c, user, d);
  }

  /** The MFA challenge the user owes after the first factor (a remembered device may stand in), or the tokens. */
  async #secondFactor(p: PoolRecord, c: ClientRecord, u: UserRecord, d?: DeviceRecord): Promise<AuthStep> {
    if (d && this.devices.skipsMfa(p, d)) return this.devices.challenge(p, c, u, d);
    return (
      (await this.mfa.challengeFor(p, c, u)) ??
      (d ? this.devices.challenge(p, c, u, d) : this.#tokensFor(p, c, u))
    );
  }

  /**
   * InitiateAuth and AdminInitiateAuth.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
   */
  async initiate(
    client: ClientRecord,
    flow: string,
    params: Record<string, string>,
    admin: boolean,
  ): Promise<AuthStep> {
    const pool = this.core.requirePool(client.poolId);
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH': {
        if (admin !== (flow !== 'USER_PASSWORD_AUTH')) {
          throw new InvalidParameterException(`Initiate Auth method not supported.`);
        }
        this.#requireFlow(client, admin ? 'ADMIN_USER_PASSWORD_AUTH' : 'USER_PASSWORD_AUTH', flow);
        const username = params.USERNAME;
        const password = params.PASSWORD;
        if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
        if (password === undefined)
          throw new InvalidParameterException('Missing required parameter PASSWORD');
        const found = this.core.findUser(pool, username);
        this.core.checkSecretHash(client, [username, found?.username], params.SECRET_HASH);
        const { user } = await this.passwordFirstFactor(client, username, password, found);
        return this.#afterPassword(pool, client, user, this.devices.forSignIn(pool, user, params.DEVICE_KEY));
      }
      case 'USER_SRP_AUTH':
        this.#requireFlow(client, 'USER_SRP_AUTH', 'USER_SRP_AUTH');
        return this.#startSrp(pool, client, params);
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN': {
        this.#requireFlow(client, 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH');
        // With rotation on, refresh "must be completed with GetTokensFromRefreshToken" (RefreshTokenRotationType);
        // the wording of the refusal is ours [unverified].
        if (refreshTokenRotation(client)) {
          throw new NotAuthorizedException(
            'Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken.',
          );
        }
        const token = params.REFRESH_TOKEN;
        if (!token) throw new InvalidParameterException('Missing required parameter REFRESH_TOKEN');
        const refreshed = await this.tokens.refresh(client, token, {
          apiFlow: true,
          deviceKey: params.DEVICE_KEY,
          // For refresh the hash is computed over the internal username (or the sub); see reference §3d.
          checkUser: (user) =>
            this.core.checkSecretHash(client, [params.USERNAME, user.username, user.sub], params.SECRET_HASH),
        });
        return { ChallengeParameters: {}, AuthenticationResult: TokenService.result(refreshed) };
      }
      default:
        throw new InvalidParameterException(`Initiate Auth method not supported.`);
    }
  }

  /** Step 1 of SRP: PASSWORD_VERIFIER with SALT, SRP_B and SECRET_BLOCK; the session is keyed by the secret block. */
  async #startSrp(pool: PoolRecord, client: ClientRecord, params: Record<string, string>): Promise<AuthStep> {
    const username = params.USERNAME;
    const A = params.SRP_A;
    if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (!A) throw new InvalidParameterException('Missing required parameter SRP_A');
    if (!/^[0-9a-fA-F]{1,2048}$/.test(A) || BigInt(`0x${A}`) % srp.N === 0n) {
      throw new NotAuthorizedException('Invalid SRP_A value.');
    }
    const user = this.core.findUser(pool, username);
    this.core.checkSecretHash(client, [username, user?.username], params.SECRET_HASH);
    const secretBlock = srp.newSecretBlock();
    const expiresAt = this.core.now() + tokenValidity(client).sessionSec * 1000;
    if (!user?.srpVerifier || !user.srpSalt) {
      if (preventUserExistenceErrors(client) !== 'ENABLED')
        throw new UserNotFoundException('User does not exist.');
      // Simulated: the same shape as a real challenge, and a generic failure at step 2.
      const fake = srp.simulatedChallenge(pool.id, username, this.core.srpSecret);
      this.core.store.sessions.insert({
        id: `srp:${sha256(secretBlock)}`,
        poolId: pool.id,
        clientId: client.id,
        kind: 'SRP_SIMULATED',
        data: {},
        expiresAt,
      });
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: fake.salt,
          SRP_B: fake.B,
          SECRET_BLOCK: secretBlock,
          USERNAME: username,
          USER_ID_FOR_SRP: username,
        },
      };
    }
    this.#passwords.checkLock(user);
    const { b, B } = srp.startSession(user.srpVerifier);
    this.core.store.sessions.insert({
      id: `srp:${sha256(secretBlock)}`,
      poolId: pool.id,
      clientId: client.id,
      kind: 'PASSWORD_VERIFIER',
      data: { ukey: user.ukey, b, B, A, ...(params.DEVICE_KEY ? { deviceKey: params.DEVICE_KEY } : {}) },
      expiresAt,
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: user.srpSalt,
        SRP_B: B,
        SECRET_BLOCK: secretBlock,
        USERNAME: user.username,
        USER_ID_FOR_SRP: user.username,
      },
    };
  }

  /**
   * RespondToAuthChallenge and AdminRespondToAuthChallenge: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
   */
  async respond(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
  ): Promise<AuthStep> {
    const pool = this.core.requirePool(client.poolId);
    const invalidSession = () =>
      new NotAuthorizedException('Invalid session for the user, session is expired.');
    if (challenge === 'PASSWORD_VERIFIER') {
      const block = responses.PASSWORD_CLAIM_SECRET_BLOCK;
      if (!block)
        throw new InvalidParameterException('Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK');
      const s = this.core.store.sessions.take(`srp:${sha256(block)}`);
      if (!s || s.clientId !== client.id || s.expiresAt <= this.core.now()) throw invalidSession();
      if (s.kind === 'SRP_SIMULATED') throw incorrect();
      const data = s.data as { ukey: string; b: string; B: string; A: string; deviceKey?: string };
      const user = this.core.store.users.get(pool.id, data.ukey);
      if (!user?.srpSalt || !user.srpVerifier) throw incorrect();
      this.core.checkSecretHash(client, [responses.USERNAME, user.username], responses.SECRET_HASH);
      const device = this.devices.forSignIn(pool, user, responses.DEVICE_KEY ?? data.deviceKey, () =>
        this.core.store.sessions.insert(s),
      );
      await this.#preAuthentication(pool, client, user);
      const current = this.passwordClaim(pool, user, data, block, responses);
      return this.#afterPassword(pool, client, current, device);
    }
    if (challenge === 'NEW_PASSWORD_REQUIRED') {
      return this.#secondFactor(pool, client, answerNewPassword(this.core, pool, client, responses, session));
    }
    if (MfaService.handles(challenge)) {
      return this.mfa.respond(client, challenge, responses, session, async (u) => {
        return (
          this.devices.afterMfa(pool, client, u, responses.DEVICE_KEY) ?? this.#tokensFor(pool, client, u)
        );
      });
    }
    if (DeviceService.handles(challenge)) {
      return this.devices.respond(client, challenge, responses, session, (u, d) =>
        this.#tokensFor(pool, client, u, d),
      );
    }
    throw new InvalidParameterException(`Challenge ${challenge} is not supported by this local user pool.`);
  }
}
