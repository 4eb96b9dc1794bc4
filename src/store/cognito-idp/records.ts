/**
 * The user pool service's domain records, as the service reads and writes them. They know nothing of SQLite: the
 * store interface (store.ts) speaks in these types and the SQLite implementation (sqlite/) maps them to rows.
 */

/** A user pool: its settings are kept as the CreateUserPool request shape (PascalCase), as Cognito returns them. */
export interface PoolRecord {
  id: string;
  name: string;
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** Stored as is: Cognito shows it to the owner and it keys the SECRET_HASH HMAC. */
  secret: string | undefined;
  /** The CreateUserPoolClient request shape (PascalCase), normalised with Cognito's defaults. */
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** A pool's signing key pair (one for id tokens, one for access tokens). */
export interface StoredKeyRecord {
  kid: string;
  use: 'id' | 'access';
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: { ScopeName: string; ScopeDescription: string }[];
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface UserRecord {
  poolId: string;
  /** The lookup key: the username, lower-cased in case-insensitive pools. */
  ukey: string;
  username: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  /** Every attribute including sub, email, email_verified, custom:*; values are strings as on the wire. */
  attributes: Record<string, string>;
  srpSalt: string | undefined;
  srpVerifier: string | undefined;
  tempPasswordExpiresAt: number | undefined;
  failedAttempts: number;
  lockedUntil: number;
  lastFailedAt: number;
  createdAt: number;
  updatedAt: number;
}

/** What a new user is made of; the rest of its record starts the same for every user. */
export interface NewUserFields {
  poolId: string;
  ukey: string;
  username: string;
  sub: string;
  status: UserStatus;
  /** The attributes besides sub (sub is added from `sub`). */
  attributes: Record<string, string>;
  srpSalt: string;
  srpVerifier: string;
  now: number;
}

/** A new user's record: enabled, no failed attempts and no lock, created and updated `now`. */
export function newUserRecord(f: NewUserFields): UserRecord {
  return {
    poolId: f.poolId,
    ukey: f.ukey,
    username: f.username,
    sub: f.sub,
    status: f.status,
    enabled: true,
    attributes: { sub: f.sub, ...f.attributes },
    srpSalt: f.srpSalt,
    srpVerifier: f.srpVerifier,
    tempPasswordExpiresAt: undefined,
    failedAttempts: 0,
    lockedUntil: 0,
    lastFailedAt: 0,
    createdAt: f.now,
    updatedAt: f.now,
  };
}

/** A one-time verification code (sign-up, forgot password, attribute): only its hash is kept. */
export interface VerificationCodeRecord {
  codeHash: string;
  expiresAt: number;
  /** Wrong guesses against this code. */
  attempts: number;
  createdAt: number;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | undefined;
  roleArn: string | undefined;
  precedence: number | undefined;
  createdAt: number;
  updatedAt: number;
}

/** One sign-in: every token minted from it carries its id as origin_jti, so revoking it ends them all. */
export interface AuthEventRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  sub: string;
  authTime: number;
  revoked: boolean;
  expiresAt: number;
  /** The tracked device of the sign-in (DeviceConfiguration): its tokens carry it as `device_key`. */
  deviceKey?: string | undefined;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  originJti: string;
  poolId: string;
  clientId: string;
  sub: string;
  scopes: string[];
  expiresAt: number;
  createdAt: number;
  /** When a newer token of the same sign-in replaced it (refresh-token rotation); it then lives the grace period. */
  rotatedAt?: number | undefined;
}

/** A challenge session (SRP PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED): short-lived and single use. */
export interface AuthSessionRecord {
  id: string;
  poolId: string;
  clientId: string;
  kind: string;
  data: Record<string, unknown>;
  expiresAt: number;
}

/** What a Hosted UI browser session remembers. */
export interface HostedUiSessionData {
  /**
   * The signed-in user, per pool (one host serves every pool). `expiresAt` (epoch ms) is an hour after the sign-in
   * and travels with it when the session is rotated for a later step, so no rotation can stretch it; sessions stored
   * before it existed end at `authTime` plus the hour.
   */
  signedIn?: { poolId: string; sub: string; authTime: number; expiresAt?: number | undefined } | undefined;
  /**
   * A sign-up started in this browser: confirming it signs the user in, as Cognito's Hosted UI does. Only the sub is
   * kept, never the password.
   */
  pendingSignUp?: { poolId: string; sub: string } | undefined;
  /**
   * A user who signed in with a temporary password (FORCE_CHANGE_PASSWORD) and must choose a new one, as
   * RespondToAuthChallenge NEW_PASSWORD_REQUIRED; it lasts the client's AuthSessionValidity.
   */
  pendingNewPassword?: { poolId: string; sub: string; expiresAt: number } | undefined;
  /**
   * A sign-in between two steps (an MFA code, the MFA type, TOTP setup, a passwordless factor, a passkey): the
   * Cognito Session of the open challenge and whom it is for. It is kept here, never in the page, so a browser can
   * neither skip a step nor swap the user; it lasts as long as the challenge's Session (AuthSessionValidity).
   */
  pendingChallenge?: HostedUiPendingChallenge | undefined;
}

/** An open challenge of a Hosted UI sign-in (see HostedUiSessionData.pendingChallenge). */
export interface HostedUiPendingChallenge {
  poolId: string;
  clientId: string;
  sub: string;
  /** The username the user typed, answered back as USERNAME. */
  username: string;
  /** Whose challenge it is: the MFA challenges (after a password) or USER_AUTH's (choice-based sign-in). */
  flow: 'mfa' | 'userAuth';
  challenge: string;
  session: string;
  /** The challenge's ChallengeParameters (code destination, MFAS_CAN_CHOOSE, CREDENTIAL_REQUEST_OPTIONS). */
  parameters: Record<string, string>;
  /** SELECT_CHALLENGE: the factors this user can use. */
  available?: string[] | undefined;
  /** MFA_SETUP: the TOTP secret being set up, shown again after a wrong code. */
  totpSecret?: string | undefined;
  expiresAt: number;
}

export interface HostedUiSessionRecord {
  idHash: string;
  data: HostedUiSessionData;
  expiresAt: number;
}

/** An OAuth authorization code as stored: only its hash, with everything the token request must match. */
export interface AuthorizationCodeRecord {
  codeHash: string;
  poolId: string;
  clientId: string;
  sub: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  /** The S256 challenge, or undefined when the authorize request had no PKCE. */
  codeChallenge: string | undefined;
  authTime: number;
  expiresAt: number;
  usedAt: number | undefined;
  /** The sign-in the code was exchanged for, once its tokens are minted. */
  originJti: string | undefined;
}

/** A message as the pool renders it from its templates. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Sender; defaults to Cognito's own `no-reply@verificationemail.com`. */
  from?: string;
}

/** A message as kept in the outbox. */
export interface OutboxEntry extends MailMessage {
  id: string;
  /** ISO 8601, from the injected clock. */
  sentAt: string;
}

export type MfaFactor = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';

/** A user's MFA settings; a user who never touched them has the defaults (nothing enabled). */
export interface MfaSettingsRecord {
  /** Base32 TOTP secret from AssociateSoftwareToken; only usable once `totpVerified`. */
  totpSecret: string | undefined;
  totpVerified: boolean;
  /** The last RFC 6238 time step accepted: a code of that step or earlier is refused (no replay). */
  totpLastStep: number;
  enabled: Record<MfaFactor, boolean>;
  preferred: MfaFactor | undefined;
}
