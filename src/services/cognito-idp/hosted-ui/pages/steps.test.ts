import { createHash } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import type { ClientRecord, PoolRecord } from '../../../../store/index.js';
import { codeDigits, codePrompt } from './mfa.js';
import { otpauthUri, qrSvg } from './mfaSetup.js';
import { factorChoices } from './selectChallenge.js';
import { mfaChoices } from './selectMfaType.js';
import { CHALLENGE_PAGES, isManagedLogin, secretHashOf } from './steps.js';
import { WEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT_HASH, webauthnBlock } from './webauthnScript.js';

const pool = (config: Record<string, unknown>) =>
  ({ id: 'us-east-1_P', name: 'P', config }) as unknown as PoolRecord;
const client = (config: Record<string, unknown>, secret?: string) =>
  ({ id: 'client1', poolId: 'us-east-1_P', name: 'c', secret, config }) as unknown as ClientRecord;
const choiceBased = pool({
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
});

describe('the Hosted UI sign-in steps (page logic)', () => {
  it('uses managed login only when the pool has passwordless factors and the client allows USER_AUTH', () => {
    const userAuth = client({ ExplicitAuthFlows: ['ALLOW_USER_AUTH'] });
    expect(isManagedLogin(choiceBased, userAuth)).toBe(true);
    expect(isManagedLogin(choiceBased, client({ ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }))).toBe(false);
    expect(isManagedLogin(pool({}), userAuth)).toBe(false);
  });

  it("adds Cognito's SECRET_HASH (HMAC-SHA256 of username and client id) for a confidential client only", () => {
    expect(secretHashOf(client({}), 'pat')).toEqual({});
    const { SECRET_HASH } = secretHashOf(client({}, 'shh'), 'pat');
    // A fixed vector; that the service accepts these hashes is shown by the managed-login tests' confidential client.
    expect(SECRET_HASH).toBe('ZFdA0AsoatFFA1y2Pz/cwiOj7cVFdas6V8azm+fQMCk=');
  });

  it('sends every challenge the service can open to a page of its own', () => {
    for (const c of ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'SMS_OTP'])
      expect(CHALLENGE_PAGES[c]).toBe('/mfa');
    expect(CHALLENGE_PAGES.SELECT_MFA_TYPE).toBe('/selectMfaType');
    expect(CHALLENGE_PAGES.MFA_SETUP).toBe('/mfaSetup');
    expect(CHALLENGE_PAGES.SELECT_CHALLENGE).toBe('/selectChallenge');
    expect(CHALLENGE_PAGES.WEB_AUTHN).toBe('/passkey');
  });

  it('words the code page by factor, with the masked destination, and asks 8 digits for sign-in codes', () => {
    expect(codePrompt({ challenge: 'SOFTWARE_TOKEN_MFA', parameters: {} }).title).toBe(
      'Enter your authenticator code',
    );
    const sms = codePrompt({
      challenge: 'SMS_MFA',
      parameters: { CODE_DELIVERY_DESTINATION: '+*******0100' },
    });
    expect(sms).toEqual({
      title: 'Enter the code we texted you',
      intro: 'We have sent a code by text message to +*******0100.',
    });
    expect(codePrompt({ challenge: 'EMAIL_OTP', parameters: {} }).title).toBe(
      'Enter the code we emailed you',
    );
    expect(codeDigits({ flow: 'mfa' })).toBe(6);
    expect(codeDigits({ flow: 'userAuth' })).toBe(8);
  });

  it('offers only the MFA types and factors it knows, from what the service listed', () => {
    expect(mfaChoices({ MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA","NOPE"]' })).toEqual([
      'SMS_MFA',
      'SOFTWARE_TOKEN_MFA',
    ]);
    expect(mfaChoices({ MFAS_CAN_CHOOSE: 'not json' })).toEqual([]);
    expect(factorChoices(['PASSWORD', 'PASSWORD_SRP', 'SMS_OTP', 'WEB_AUTHN'])).toEqual({
      password: true,
      others: [
        { factor: 'WEB_AUTHN', label: 'Sign in with a passkey' },
        { factor: 'SMS_OTP', label: 'Text me a sign-in code' },
      ],
    });
    expect(factorChoices(undefined)).toEqual({ password: false, others: [] });
  });

  it('builds a key URI that an authenticator library reads back, and draws it as an inert inline SVG', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const uri = otpauthUri('Demo app', 'pat@example.com', secret);
    const parsed = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    expect(parsed.secret.base32).toBe(secret);
    expect(parsed.issuer).toBe('Demo app');
    expect(parsed.label).toBe('pat@example.com');
    expect([parsed.digits, parsed.period, parsed.algorithm]).toEqual([6, 30, 'SHA1']);
    const svg = await qrSvg(uri);
    expect(svg).toMatch(/^<svg class="qr" role="img" aria-label="[^"]+" /);
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/<script|style=|on[a-z]+=/i);
  });

  it('allows the page script by the hash of its exact text, and escapes the options into their attribute', () => {
    expect(WEBAUTHN_SCRIPT_HASH).toBe(
      `'sha256-${createHash('sha256').update(WEBAUTHN_SCRIPT).digest('base64')}'`,
    );
    const block = webauthnBlock('get', '{"challenge":"a\\"><script>x</script>"}');
    expect(block).toContain(
      'data-options="{&quot;challenge&quot;:&quot;a\\&quot;&gt;&lt;script&gt;x&lt;/script&gt;&quot;}"',
    );
    expect(block.match(/<script>/g)).toHaveLength(1);
    expect(block).toContain(`<script>${WEBAUTHN_SCRIPT}</script>`);
  });
});
