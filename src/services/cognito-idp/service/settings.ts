/**
 * Cognito's settings and defaults, read from a pool's or client's stored config (the CreateUserPool /
 * CreateUserPoolClient request shapes). Every default and every [unverified] choice lives here, in one place.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
 */
import type { ClientRecord, PoolRecord } from '../../../store/index.js';

/** Codes: 6 digits; sign-up and attribute codes last 24 h, forgot-password codes 1 h (not configurable in Cognito). */
export const CODE_TTL_MS = { signup: 24 * 3600_000, attribute: 24 * 3600_000, forgot: 3600_000 } as const;
/**
 * Wrong guesses allowed per code before it is burned and the user must request another one.
 * [unverified] Cognito does not publish the number; LimitExceededException is what it answers when it is reached.
 */
export const CODE_MAX_ATTEMPTS = 5;

/**
 * Per user and purpose (sign-up, forgot password, each attribute), code requests and wrong guesses share one budget
 * per hour; past it Cognito answers LimitExceededException "Attempt limit exceeded, please try after some time.".
 * AWS documents "between 5 and 20 attempts" an hour "to request or enter a password reset code", depending on risk.
 * [unverified] The local cloud takes 20 for every purpose, counted in a fixed window from the first attempt; that
 * leaves 20 guesses an hour at a 6-digit code, whatever codes are re-issued.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
 */
export const CODE_LIMITS = { maxAttempts: 20, windowMs: 3600_000 } as const;

/**
 * Lockout after failed password attempts, as documented: after 5 failures the user is locked for 2^(n-5) s, doubling
 * up to about 15 minutes; attempts during a lockout do not count; 15 minutes without attempts resets the counter.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 */
export const LOCKOUT = { freeAttempts: 5, maxLockMs: 15 * 60_000, resetAfterMs: 15 * 60_000 } as const;

export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

/** Cognito's default policy: 8 characters with upper, lower, number and symbol; temporary passwords last 7 days. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const bool = (v: unknown, dflt: boolean): boolean =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : dflt;
const num = (v: unknown, dflt: number): number => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : dflt;
};

export function passwordPolicy(pool: PoolRecord): PasswordPolicy {
  const p = obj(obj(pool.config.Policies).PasswordPolicy);
  return {
    MinimumLength: num(p.MinimumLength, DEFAULT_PASSWORD_POLICY.MinimumLength),
    RequireUppercase: bool(p.RequireUppercase, DEFAULT_PASSWORD_POLICY.RequireUppercase),
    RequireLowercase: bool(p.RequireLowercase, DEFAULT_PASSWORD_POLICY.RequireLowercase),
    RequireNumbers: bool(p.RequireNumbers, DEFAULT_PASSWORD_POLICY.RequireNumbers),
    RequireSymbols: bool(p.RequireSymbols, DEFAULT_PASSWORD_POLICY.RequireSymbols),
    TemporaryPasswordValidityDays: num(
      p.TemporaryPasswordValidityDays,
      DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
    ),
  };
}

/** `email` and/or `phone_number` when those replace the username (then the internal username is a UUID). */
export const usernameAttributes = (pool: PoolRecord): string[] => strs(pool.config.UsernameAttributes);
/** `email`, `phone_number`, `preferred_username` usable at sign-in besides the username (verified ones only). */
export const aliasAttributes = (pool: PoolRecord): string[] => strs(pool.config.AliasAttributes);
export const autoVerifiedAttributes = (pool: PoolRecord): string[] =>
  strs(pool.config.AutoVerifiedAttributes);
/** Usernames are case-sensitive unless UsernameConfiguration.CaseSensitive is false (the API's default). */
export const caseSensitive = (pool: PoolRecord): boolean =>
  bool(obj(pool.config.UsernameConfiguration).CaseSensitive, true);
export const allowAdminCreateUserOnly = (pool: PoolRecord): boolean =>
  bool(obj(pool.config.AdminCreateUserConfig).AllowAdminCreateUserOnly, false);

/** The username's lookup key in the store. */
export const ukeyOf = (pool: PoolRecord, username: string): string =>
  caseSensitive(pool) ? username : username.toLowerCase();

export const STANDARD_ATTRIBUTES = [
  'sub',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
  'identities',
] as const;

/**
 * The standard claims each OIDC scope releases (OIDC Core §5.4), drawn from the one list above: `profile` is every
 * standard attribute but the sub, the contact attributes, address and identities.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
 */
export const OIDC_SCOPE_CLAIMS = {
  profile: STANDARD_ATTRIBUTES.filter(
    (a) =>
      ![
        'sub',
        'email',
        'email_verified',
        'phone_number',
        'phone_number_verified',
        'address',
        'identities',
      ].includes(a),
  ),
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
} as const satisfies Record<string, readonly string[]>;

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: string;
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const standardType = (name: string): string =>
  name === 'email_verified' || name === 'phone_number_verified'
    ? 'Boolean'
    : name === 'updated_at'
      ? 'Number'
      : 'String';

/** The pool's full schema: the standard attributes plus the pool's own (custom ones named `custom:<name>`). */
/**
 * A standard attribute's constraints as DescribeUserPool reports them (`birthdate` is exactly 10 characters,
 * `identities` has empty constraints, `updated_at` a minimum of 0); the Terraform provider recognises standard
 * attributes by these exact values.
 */
function standardConstraints(name: string): Partial<SchemaAttribute> {
  if (name === 'updated_at') return { NumberAttributeConstraints: { MinValue: '0' } };
  if (standardType(name) !== 'String') return {};
  if (name === 'identities') return { StringAttributeConstraints: {} };
  if (name === 'birthdate') return { StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } };
  return { StringAttributeConstraints: { MinLength: name === 'sub' ? '1' : '0', MaxLength: '2048' } };
}

export function schemaAttributes(pool: PoolRecord): SchemaAttribute[] {
  const declared = Array.isArray(pool.config.Schema) ? (pool.config.Schema as Record<string, unknown>[]) : [];
  const byName = new Map<string, SchemaAttribute>();
  for (const name of STANDARD_ATTRIBUTES) {
    byName.set(name, {
      Name: name,
      AttributeDataType: standardType(name),
      DeveloperOnlyAttribute: false,
      Mutable: name !== 'sub',
      Required: name === 'sub',
      ...standardConstraints(name),
    });
  }
  for (const d of declared) {
    const raw = String(d.Name ?? '');
    if (!raw) continue;
    const standard = (STANDARD_ATTRIBUTES as readonly string[]).includes(raw);
    const name = standard || raw.startsWith('custom:') || raw.startsWith('dev:') ? raw : `custom:${raw}`;
    const prev = byName.get(name);
    const type = String(d.AttributeDataType ?? prev?.AttributeDataType ?? 'String');
    const sc = obj(d.StringAttributeConstraints);
    const nc = obj(d.NumberAttributeConstraints);
    byName.set(name, {
      Name: name,
      AttributeDataType: type,
      DeveloperOnlyAttribute: bool(d.DeveloperOnlyAttribute, false),
      Mutable: bool(d.Mutable, prev?.Mutable ?? true),
      Required: standard ? bool(d.Required, false) : false,
      ...(type === 'String'
        ? {
            StringAttributeConstraints: {
              MinLength: String(sc.MinLength ?? '0'),
              MaxLength: String(sc.MaxLength ?? '2048'),
            },
          }
        : {}),
      ...(type === 'Number' && (nc.MinValue !== undefined || nc.MaxValue !== undefined)
        ? {
            NumberAttributeConstraints: {
              ...(nc.MinValue !== undefined ? { MinValue: String(nc.MinValue) } : {}),
              ...(nc.MaxValue !== undefined ? { MaxValue: String(nc.MaxValue) } : {}),
            },
          }
        : {}),
    });
  }
  return [...byName.values()];
}

/** Attributes every user must have (besides sub, which the pool sets). */
export const requiredAttributes = (pool: PoolRecord): string[] =>
  schemaAttributes(pool)
    .filter((a) => a.Required && a.Name !== 'sub')
    .map((a) => a.Name);

export interface MessageTemplate {
  subject: string;
  message: string;
}

/** Verification (sign-up, forgot password, attribute) mail: VerificationMessageTemplate, then the legacy fields. */
export function verificationTemplate(pool: PoolRecord): MessageTemplate {
  const t = obj(pool.config.VerificationMessageTemplate);
  return {
    subject: String(t.EmailSubject ?? pool.config.EmailVerificationSubject ?? 'Your verification code'),
    message: String(
      t.EmailMessage ?? pool.config.EmailVerificationMessage ?? 'Your verification code is {####}. ',
    ),
  };
}

export function smsVerificationMessage(pool: PoolRecord): string {
  const t = obj(pool.config.VerificationMessageTemplate);
  return String(t.SmsMessage ?? pool.config.SmsVerificationMessage ?? 'Your verification code is {####}. ');
}

/** AdminCreateUser's welcome mail: AdminCreateUserConfig.InviteMessageTemplate. */
export function invitationTemplate(pool: PoolRecord): MessageTemplate {
  const t = obj(obj(pool.config.AdminCreateUserConfig).InviteMessageTemplate);
  return {
    subject: String(t.EmailSubject ?? 'Your temporary password'),
    message: String(t.EmailMessage ?? 'Your username is {username} and temporary password is {####}. '),
  };
}

// ---- Clients

export type PreventUserExistenceErrors = 'ENABLED' | 'LEGACY';

/** The API's default is LEGACY (botocore model); CloudFormation/CDK stacks usually set ENABLED explicitly. */
export const preventUserExistenceErrors = (client: ClientRecord): PreventUserExistenceErrors =>
  client.config.PreventUserExistenceErrors === 'ENABLED' ? 'ENABLED' : 'LEGACY';

export type AuthFlow =
  | 'USER_PASSWORD_AUTH'
  | 'USER_SRP_AUTH'
  | 'REFRESH_TOKEN_AUTH'
  | 'ADMIN_USER_PASSWORD_AUTH'
  | 'CUSTOM_AUTH'
  | 'USER_AUTH';

/**
 * The flows a client allows. Without ExplicitAuthFlows Cognito allows SRP, refresh and custom auth. The legacy
 * names (USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH) add to the flows SRP and refresh that were always on before the
 * ALLOW_ names existed.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ExplicitAuthFlows
 */
export function allowedFlows(client: ClientRecord): Set<AuthFlow> {
  const given = strs(client.config.ExplicitAuthFlows);
  if (given.length === 0) return new Set(['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'CUSTOM_AUTH']);
  const out = new Set<AuthFlow>();
  const legacy = given.some((f) => !f.startsWith('ALLOW_'));
  if (legacy) {
    out.add('USER_SRP_AUTH');
    out.add('REFRESH_TOKEN_AUTH');
  }
  for (const f of given) {
    if (f === 'ALLOW_USER_PASSWORD_AUTH' || f === 'USER_PASSWORD_AUTH') out.add('USER_PASSWORD_AUTH');
    if (f === 'ALLOW_ADMIN_USER_PASSWORD_AUTH' || f === 'ADMIN_NO_SRP_AUTH')
      out.add('ADMIN_USER_PASSWORD_AUTH');
    if (f === 'ALLOW_USER_SRP_AUTH') out.add('USER_SRP_AUTH');
    if (f === 'ALLOW_REFRESH_TOKEN_AUTH') out.add('REFRESH_TOKEN_AUTH');
    if (f === 'ALLOW_CUSTOM_AUTH' || f === 'CUSTOM_AUTH_FLOW_ONLY') out.add('CUSTOM_AUTH');
    if (f === 'ALLOW_USER_AUTH') out.add('USER_AUTH');
  }
  return out;
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

export interface TokenValidity {
  accessSec: number;
  idSec: number;
  refreshSec: number;
  /** AuthSessionValidity: how long a challenge session lives. */
  sessionSec: number;
}

/** Per-client validities in seconds; defaults 1 h / 1 h / 30 days, challenge sessions 3 minutes. */
export function tokenValidity(client: ClientRecord): TokenValidity {
  const units = obj(client.config.TokenValidityUnits);
  const sec = (value: unknown, unit: unknown, dfltUnit: string, dflt: number) => {
    const v = num(value, 0);
    if (v <= 0) return dflt;
    return v * (UNIT_SECONDS[String(unit ?? dfltUnit)] ?? UNIT_SECONDS[dfltUnit] ?? 1);
  };
  return {
    accessSec: sec(client.config.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    idSec: sec(client.config.IdTokenValidity, units.IdToken, 'hours', 3600),
    refreshSec: sec(client.config.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
    sessionSec: num(client.config.AuthSessionValidity, 3) * 60,
  };
}

/** Attributes the client may read (all when ReadAttributes is unset). */
export function readableAttributes(client: ClientRecord): Set<string> | undefined {
  const r = strs(client.config.ReadAttributes);
  return r.length ? new Set(r) : undefined;
}

/** Attributes the client may write (all mutable ones when WriteAttributes is unset). */
export function writableAttributes(client: ClientRecord): Set<string> | undefined {
  const w = strs(client.config.WriteAttributes);
  return w.length ? new Set(w) : undefined;
}

/** The client's RefreshTokenRotation when ENABLED, with its grace period (0–60 s). */
export function refreshTokenRotation(client: ClientRecord): { graceSec: number } | undefined {
  const r = obj(client.config.RefreshTokenRotation);
  if (r.Feature !== 'ENABLED') return undefined;
  return { graceSec: Math.min(60, Math.max(0, num(r.RetryGracePeriodSeconds, 0))) };
}

export const tokenRevocationEnabled = (client: ClientRecord): boolean =>
  bool(client.config.EnableTokenRevocation, true);
export { bool as asBool, num as asNumber, obj as asObject, strs as asStrings };
