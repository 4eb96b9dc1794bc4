import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, newTotpSecret } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  it('computes the RFC 4226 test vectors', () => {
    const secret = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((c) => hotp(secret, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('agrees with an independent implementation (otpauth) and accepts one step of drift either way', () => {
    const secret = newTotpSecret();
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const now = Date.UTC(2026, 0, 1, 12, 0, 15);
    const step = Math.floor(now / 30_000);
    expect(matchTotp(secret, totp.generate({ timestamp: now }), now)).toBe(step);
    expect(matchTotp(secret, totp.generate({ timestamp: now - 30_000 }), now)).toBe(step - 1);
    expect(matchTotp(secret, totp.generate({ timestamp: now + 30_000 }), now)).toBe(step + 1);
    expect(matchTotp(secret, totp.generate({ timestamp: now - 60_000 }), now)).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', now)).toBeUndefined();
  });
});
