import { describe, expect, it } from 'vitest';
import type { PoolRecord, UserRecord } from '../../../store/index.js';
import { allowedFirstFactors, checkTierFeatures, poolTier, userChallenges } from './userAuthConfig.js';
import { originAllowed } from './webauthn.js';

const pool = (config: Record<string, unknown>): PoolRecord =>
  ({ id: 'p', name: 'p', config, createdAt: 0, updatedAt: 0 }) as PoolRecord;
const user = (attributes: Record<string, string>, password = true): UserRecord =>
  ({ attributes, ...(password ? { srpVerifier: 'v', srpSalt: 's' } : {}) }) as unknown as UserRecord;

describe('choice-based sign-in settings', () => {
  it('defaults: ESSENTIALS, PASSWORD only', () => {
    expect(poolTier(pool({}))).toBe('ESSENTIALS');
    expect(allowedFirstFactors(pool({}))).toEqual(['PASSWORD']);
  });

  it('refuses passwordless factors and email MFA on LITE, a policy without PASSWORD, unknown factors and tiers', () => {
    const lite = { UserPoolTier: 'LITE' };
    const factors = (f: string[]) => ({ Policies: { SignInPolicy: { AllowedFirstAuthFactors: f } } });
    expect(() => checkTierFeatures({ ...lite, ...factors(['PASSWORD', 'WEB_AUTHN']) })).toThrow(/LITE/);
    expect(() => checkTierFeatures({ ...lite, EmailMfaConfiguration: {} })).toThrow(/LITE/);
    expect(() => checkTierFeatures({ ...lite, ...factors(['PASSWORD']) })).not.toThrow();
    expect(() => checkTierFeatures(factors(['EMAIL_OTP']))).toThrow(/PASSWORD/);
    expect(() => checkTierFeatures(factors(['PASSWORD', 'PIGEON']))).toThrow(/PIGEON/);
    expect(() => checkTierFeatures({ UserPoolTier: 'GOLD' })).toThrow(/userPoolTier/);
    expect(() =>
      checkTierFeatures({ UserPoolTier: 'PLUS', ...factors(['PASSWORD', 'SMS_OTP']) }),
    ).not.toThrow();
  });

  it('offers what the user has the means for: password, verified email or phone, a passkey', () => {
    const p = pool({
      Policies: {
        SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] },
      },
    });
    const c = {} as never;
    expect(userChallenges(p, c, user({ email: 'a@b.c', email_verified: 'false' }), 0)).toEqual([
      'PASSWORD',
      'PASSWORD_SRP',
    ]);
    expect(
      userChallenges(
        p,
        c,
        user(
          { email: 'a@b.c', email_verified: 'true', phone_number: '+1555', phone_number_verified: 'true' },
          false,
        ),
        2,
      ),
    ).toEqual(['EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']);
  });
});

describe('passkey origins', () => {
  it('accepts the RP id and its subdomains over https, and http only on localhost', () => {
    expect(originAllowed('https://example.com', 'example.com')).toBe(true);
    expect(originAllowed('https://login.example.com', 'example.com')).toBe(true);
    expect(originAllowed('http://localhost:5173', 'localhost')).toBe(true);
    expect(originAllowed('http://example.com', 'example.com')).toBe(false);
    expect(originAllowed('https://badexample.com', 'example.com')).toBe(false);
    expect(originAllowed('https://example.com.evil.test', 'example.com')).toBe(false);
    expect(originAllowed('http://127.0.0.1:5173', 'localhost')).toBe(false);
    expect(originAllowed('not a url', 'localhost')).toBe(false);
  });
});
