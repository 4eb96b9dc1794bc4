import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { RefreshTokenSealer } from './refreshToken.js';

const jwk = { kty: 'RSA', d: Buffer.alloc(256, 9).toString('base64url') };
const sealer = RefreshTokenSealer.fromPrivateJwk('us-east-1_Pool', jwk);
const NOW = Date.UTC(2026, 0, 1);
const token = () =>
  sealer.seal({ jti: 'jti-1', clientId: 'client-1', nowMs: NOW, expiresAtMs: NOW + 30 * 86_400_000 });

describe('refresh tokens', () => {
  it('seals a dir/A256GCM compact JWE that jose opens, with its client, id, issue time and expiry', async () => {
    const t = token();
    expect(t.split('.')).toHaveLength(5);
    expect(t.split('.')[1]).toBe('');
    expect(decodeProtectedHeader(t)).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(await sealer.open(t, NOW + 1000)).toEqual({ ok: true, jti: 'jti-1', clientId: 'client-1' });
    // The same key through jose's own JWE decryption: the plaintext is exactly the claims.
    const key = (sealer as unknown as { key: Uint8Array }).key;
    const { plaintext } = await compactDecrypt(t, key);
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({
      client_id: 'client-1',
      jti: 'jti-1',
      iat: NOW / 1000,
      exp: NOW / 1000 + 30 * 86_400,
    });
  });

  it('draws a fresh IV per token, so two tokens of the same claims differ', () => {
    expect(token()).not.toBe(token());
  });

  it('says expired once past exp, and invalid for another pool, a tampered tag or garbage', async () => {
    const t = token();
    expect(await sealer.open(t, NOW + 31 * 86_400_000)).toEqual({ ok: false, reason: 'expired' });
    const other = RefreshTokenSealer.fromPrivateJwk('us-east-1_Other', jwk);
    expect(await other.open(t, NOW)).toEqual({ ok: false, reason: 'invalid' });
    const parts = t.split('.');
    const tag = Buffer.from(parts[4] as string, 'base64url');
    tag[0] = (tag[0] as number) ^ 1;
    parts[4] = tag.toString('base64url');
    expect(await sealer.open(parts.join('.'), NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(await sealer.open('not a token', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});
