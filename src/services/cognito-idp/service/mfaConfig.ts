import type {
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MfaFactor, MfaSettingsRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import { InvalidParameterException } from '../errors.js';
import { asObject, asStrings } from './settings.js';

export type MfaMode = 'OFF' | 'ON' | 'OPTIONAL';

export const DEFAULT_SMS_MFA_MESSAGE = 'Your authentication code is {####}. ';
export const DEFAULT_EMAIL_MFA_SUBJECT = 'Your authentication code';
export const DEFAULT_EMAIL_MFA_MESSAGE = 'Your authentication code is {####}.';

export const mfaMode = (pool: PoolRecord): MfaMode => {
  const m = pool.config.MfaConfiguration;
  return m === 'ON' || m === 'OPTIONAL' ? m : 'OFF';
};

/**
 * The factors a pool offers: from SetUserPoolMfaConfig's per-factor settings, or from the template's `EnabledMfas`
 * (CloudFormation). A pool with MFA on and neither (CreateUserPool with `MfaConfiguration` only) offers SMS, as
 * Cognito did before TOTP existed.
 */
export function poolFactors(pool: PoolRecord): Set<MfaFactor> {
  const c = pool.config;
  const out = new Set<MfaFactor>();
  for (const f of asStrings(c.EnabledMfas)) {
    if (f === 'SOFTWARE_TOKEN_MFA' || f === 'SMS_MFA' || f === 'EMAIL_OTP') out.add(f);
  }
  if (asObject(c.SoftwareTokenMfaConfiguration).Enabled === true) out.add('SOFTWARE_TOKEN_MFA');
  if (c.SmsMfaConfiguration !== undefined && c.SmsMfaConfiguration !== null) out.add('SMS_MFA');
  if (c.EmailMfaConfiguration !== undefined && c.EmailMfaConfiguration !== null) out.add('EMAIL_OTP');
  const explicit =
    c.EnabledMfas !== undefined ||
    c.SoftwareTokenMfaConfiguration !== undefined ||
    c.SmsMfaConfiguration !== undefined ||
    c.EmailMfaConfiguration !== undefined;
  if (!explicit && mfaMode(pool) !== 'OFF') out.add('SMS_MFA');
  return out;
}

/** The factors a user can be challenged with now: enabled by the user, offered by the pool, with a destination. */
export function userFactors(pool: PoolRecord, user: UserRecord, s: MfaSettingsRecord): MfaFactor[] {
  const offered = poolFactors(pool);
  const out: MfaFactor[] = [];
  if (offered.has('SMS_MFA') && s.enabled.SMS_MFA && user.attributes.phone_number) out.push('SMS_MFA');
  if (offered.has('SOFTWARE_TOKEN_MFA') && s.enabled.SOFTWARE_TOKEN_MFA && s.totpVerified) {
    out.push('SOFTWARE_TOKEN_MFA');
  }
  if (offered.has('EMAIL_OTP') && s.enabled.EMAIL_OTP && user.attributes.email) out.push('EMAIL_OTP');
  return out;
}

/** GetUserPoolMfaConfig's answer. */
export function mfaConfigOf(pool: PoolRecord): GetUserPoolMfaConfigResponse {
  const factors = poolFactors(pool);
  const c = pool.config;
  return {
    MfaConfiguration: mfaMode(pool),
    // Left out until TOTP was ever configured, as Cognito reads back a pool that never set it (Terraform's plan
    // after apply compares this read with what it wrote).
    ...(factors.has('SOFTWARE_TOKEN_MFA') || c.SoftwareTokenMfaConfiguration !== undefined
      ? { SoftwareTokenMfaConfiguration: { Enabled: factors.has('SOFTWARE_TOKEN_MFA') } }
      : {}),
    ...(factors.has('SMS_MFA')
      ? {
          SmsMfaConfiguration: {
            SmsAuthenticationMessage: String(c.SmsAuthenticationMessage ?? DEFAULT_SMS_MFA_MESSAGE),
            ...(c.SmsConfiguration ? { SmsConfiguration: c.SmsConfiguration as never } : {}),
            ...asObject(c.SmsMfaConfiguration),
          },
        }
      : {}),
    ...(factors.has('EMAIL_OTP')
      ? {
          EmailMfaConfiguration: {
            Message: DEFAULT_EMAIL_MFA_MESSAGE,
            Subject: DEFAULT_EMAIL_MFA_SUBJECT,
            ...asObject(c.EmailMfaConfiguration),
          },
        }
      : {}),
  };
}

/**
 * The config fields SetUserPoolMfaConfig writes. A factor left out of the request keeps its setting, as on Cognito;
 * turning MFA on needs at least one factor. The wording of that refusal is ours [unverified].
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html
 */
export function mfaConfigFields(pool: PoolRecord, req: SetUserPoolMfaConfigRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  // A template's EnabledMfas becomes the explicit per-factor settings, which this request then changes.
  const listed = asStrings(pool.config.EnabledMfas);
  if (pool.config.EnabledMfas !== undefined) {
    fields.EnabledMfas = undefined;
    fields.SoftwareTokenMfaConfiguration = { Enabled: listed.includes('SOFTWARE_TOKEN_MFA') };
    if (listed.includes('SMS_MFA')) fields.SmsMfaConfiguration = {};
    if (listed.includes('EMAIL_OTP')) fields.EmailMfaConfiguration = {};
  }
  if (req.SoftwareTokenMfaConfiguration) {
    fields.SoftwareTokenMfaConfiguration = { Enabled: req.SoftwareTokenMfaConfiguration.Enabled === true };
  }
  if (req.SmsMfaConfiguration) fields.SmsMfaConfiguration = req.SmsMfaConfiguration;
  if (req.EmailMfaConfiguration) fields.EmailMfaConfiguration = req.EmailMfaConfiguration;
  if (req.MfaConfiguration) fields.MfaConfiguration = req.MfaConfiguration;
  const message = req.SmsMfaConfiguration?.SmsAuthenticationMessage;
  if (message !== undefined && !message.includes('{####}')) {
    throw new InvalidParameterException('SmsAuthenticationMessage must contain {####}.');
  }
  const config = { ...pool.config, ...fields };
  delete config.EnabledMfas;
  const next: PoolRecord = { ...pool, config };
  if (mfaMode(next) !== 'OFF' && poolFactors(next).size === 0) {
    throw new InvalidParameterException(
      'At least one MFA factor (SMS, software token or email) must be enabled to turn MFA on.',
    );
  }
  return fields;
}
