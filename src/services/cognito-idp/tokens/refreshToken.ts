import { hkdfSync } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';

/**
 * Refresh tokens as Cognito's are: encrypted JWTs (JWE, A256GCM) nobody but the pool can read. Each carries its own
 * id (`jti`, the hash of the whole token is what the store keys) and its expiry, so a token is refused as expired
 * from the token alone, even after the purge has dropped its sign-in.
 *
 * The content key is derived (HKDF-SHA256) from the pool's access-token private key, so it survives restarts and
 * belongs to one pool. Cognito wraps a key with RSA-OAEP instead; clients treat the token as opaque either way.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export class RefreshTokenSealer {
  private constructor(private readonly key: Uint8Array) {}

  /** The sealer of a pool, from its stored access key's private JWK. */
  static fromPrivateJwk(poolId: string, privateJwk: Record<string, unknown>): RefreshTokenSealer {
    const d = privateJwk.d;
    if (typeof d !== 'string' || d === '') throw new Error(`Pool ${poolId} has no usable private key`);
    const ikm = Buffer.from(d, 'base64url');
    const key = new Uint8Array(hkdfSync('sha256', ikm, poolId, 'gatehouse refresh token A256GCM', 32));
    return new RefreshTokenSealer(key);
  }

  /** A new token for a client, valid until `expiresAtMs`. */
  seal(c: { jti: string; clientId: string; nowMs: number; expiresAtMs: number }): Promise<string> {
    return new EncryptJWT({ client_id: c.clientId })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setJti(c.jti)
      .setIssuedAt(Math.floor(c.nowMs / 1000))
      .setExpirationTime(Math.floor(c.expiresAtMs / 1000))
      .encrypt(this.key);
  }

  /**
   * What a token says: `expired` when it is ours but past its `exp`, `invalid` when it is not one of this pool's
   * tokens (garbled, another pool's, or not a JWE at all).
   */
  async open(
    token: string,
    nowMs: number,
  ): Promise<{ ok: true; jti: string; clientId: string } | { ok: false; reason: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtDecrypt(token, this.key, {
        currentDate: new Date(nowMs),
        contentEncryptionAlgorithms: ['A256GCM'],
        keyManagementAlgorithms: ['dir'],
      });
      if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') {
        return { ok: false, reason: 'invalid' };
      }
      return { ok: true, jti: payload.jti, clientId: payload.client_id };
    } catch (err) {
      return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
