import type { ClientRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import { FeatureUnavailableInTierException, InvalidParameterException } from '../errors.js';
import { asObject, asStrings } from './settings.js';

export type PoolTier = 'LITE' | 'ESSENTIALS' | 'PLUS';

/** The first factors a pool can allow (SignInPolicyType.AllowedFirstAuthFactors). */
export const FIRST_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
export type FirstFactor = (typeof FIRST_FACTORS)[number];

/** The challenges USER_AUTH can start with: the factors, PASSWORD split into plain and SRP. */
export type FirstChallenge = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
const CHALLENGES: readonly FirstChallenge[] = [
  'PASSWORD',
  'PASSWORD_SRP',
  'EMAIL_OTP',
  'SMS_OTP',
  'WEB_AUTHN',
];

export const isFirstChallenge = (v: string): v is FirstChallenge =>
  (CHALLENGES as readonly string[]).includes(v);

/**
 * The pool's feature plan. Pools created through the API since November 2024 are ESSENTIALS unless told otherwise.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
 */
export function poolTier(pool: PoolRecord): PoolTier {
  const t = pool.config.UserPoolTier;
  return t === 'LITE' || t === 'PLUS' ? t : 'ESSENTIALS';
}

/** The pool's allowed first factors; PASSWORD alone by default. */
export function allowedFirstFactors(pool: PoolRecord): FirstFactor[] {
  const policy = asObject(asObject(pool.config.Policies).SignInPolicy);
  const given = asStrings(policy.AllowedFirstAuthFactors).filter((f): f is FirstFactor =>
    (FIRST_FACTORS as readonly string[]).includes(f),
  );
  return given.length ? given : ['PASSWORD'];
}

/**
 * Checks a pool's settings against its tier and the factor rules, as CreateUserPool, UpdateUserPool and
 * SetUserPoolMfaConfig do. Choice-based sign-in and email MFA need ESSENTIALS or PLUS. The wording of the
 * refusals is ours [unverified]; the error codes are Cognito's.
 */
export function checkTierFeatures(config: Record<string, unknown>): void {
  const tier = config.UserPoolTier ?? 'ESSENTIALS';
  if (tier !== 'LITE' && tier !== 'ESSENTIALS' && tier !== 'PLUS') {
    throw new InvalidParameterException(
      `1 validation error detected: Value '${String(tier)}' at 'userPoolTier' failed to satisfy constraint: Member must satisfy enum value set: [LITE, ESSENTIALS, PLUS]`,
    );
  }
  const policy = asObject(asObject(config.Policies).SignInPolicy);
  const factors = asStrings(policy.AllowedFirstAuthFactors);
  for (const f of factors) {
    if (!(FIRST_FACTORS as readonly string[]).includes(f)) {
      throw new InvalidParameterException(`Invalid first auth factor: ${f}.`);
    }
  }
  if (policy.AllowedFirstAuthFactors !== undefined && !factors.includes('PASSWORD')) {
    throw new InvalidParameterException('AllowedFirstAuthFactors must include PASSWORD.');
  }
  if (tier === 'LITE') {
    const passwordless = factors.filter((f) => f !== 'PASSWORD');
    if (passwordless.length) {
      throw new FeatureUnavailableInTierException(
        `Choice-based sign-in with ${passwordless.join(', ')} is not available in the LITE tier; use ESSENTIALS or PLUS.`,
      );
    }
    if (config.EmailMfaConfiguration !== undefined && config.EmailMfaConfiguration !== null) {
      throw new FeatureUnavailableInTierException(
        'Email MFA is not available in the LITE tier; use ESSENTIALS or PLUS.',
      );
    }
  }
}

/** Whether a verified address of this kind exists on the user (where a one-time code can go). */
const verified = (user: UserRecord, attr: 'email' | 'phone_number'): boolean =>
  Boolean(user.attributes[attr]) && user.attributes[`${attr}_verified`] === 'true';

/**
 * The challenges this user can start USER_AUTH with on this client: the pool's allowed factors that the user has
 * the means for (a password, a verified email or phone, a passkey).
 */
export function userChallenges(
  pool: PoolRecord,
  _client: ClientRecord,
  user: UserRecord,
  passkeys: number,
): FirstChallenge[] {
  const out: FirstChallenge[] = [];
  for (const f of allowedFirstFactors(pool)) {
    if (f === 'PASSWORD' && user.srpVerifier) out.push('PASSWORD', 'PASSWORD_SRP');
    if (f === 'EMAIL_OTP' && verified(user, 'email')) out.push('EMAIL_OTP');
    if (f === 'SMS_OTP' && verified(user, 'phone_number')) out.push('SMS_OTP');
    if (f === 'WEB_AUTHN' && passkeys > 0) out.push('WEB_AUTHN');
  }
  return out;
}

/**
 * SetUserPoolMfaConfig's WebAuthnConfiguration: the relying party id (the pool's domain when unset) and the user
 * verification passkeys need (preferred by default).
 */
export function webAuthnConfigFields(req: {
  WebAuthnConfiguration?: { RelyingPartyId?: string | undefined; UserVerification?: string | undefined };
}): Record<string, unknown> {
  const w = req.WebAuthnConfiguration;
  if (!w) return {};
  if (
    w.UserVerification !== undefined &&
    w.UserVerification !== 'required' &&
    w.UserVerification !== 'preferred'
  ) {
    throw new InvalidParameterException('UserVerification must be required or preferred.');
  }
  if (w.RelyingPartyId !== undefined && !/^[A-Za-z0-9.-]{1,127}$/.test(w.RelyingPartyId)) {
    throw new InvalidParameterException('RelyingPartyId must be a host name.');
  }
  return { WebAuthnConfiguration: { ...w } };
}

/** GetUserPoolMfaConfig's WebAuthnConfiguration (only when one was set). */
export function webAuthnConfigOf(pool: PoolRecord): {
  WebAuthnConfiguration?: { RelyingPartyId?: string; UserVerification: 'required' | 'preferred' };
} {
  const w = asObject(pool.config.WebAuthnConfiguration);
  if (!pool.config.WebAuthnConfiguration) return {};
  return {
    WebAuthnConfiguration: {
      ...(typeof w.RelyingPartyId === 'string' ? { RelyingPartyId: w.RelyingPartyId } : {}),
      UserVerification: w.UserVerification === 'required' ? 'required' : 'preferred',
    },
  };
}
