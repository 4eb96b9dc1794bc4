import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { formatTimestamp, poolShortName } from '../../src/services/cognito-idp/srp/index.js';

// amazon-cognito-identity-js's own SRP maths (it ships no types for its lib/ modules).
const require = createRequire(import.meta.url);
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js')
  .default as new (
  poolName: string,
) => {
  getLargeAValue(cb: (err: unknown, a: { toString(radix: number): string }) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: unknown,
    salt: unknown,
    cb: (err: unknown, key: Uint8Array) => void,
  ): void;
};
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default as new (
  hex: string,
  radix: number,
) => unknown;

/**
 * The client half of USER_SRP_AUTH, for app clients with a secret (which amazon-cognito-identity-js cannot send).
 * SRP_A and the HKDF key come from the library's AuthenticationHelper, exactly as CognitoUser derives them; the
 * PASSWORD_CLAIM_SIGNATURE is HMAC-SHA256(key, poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK ‖ TIMESTAMP) with node:crypto,
 * as CognitoUser.authenticateUserDefaultAuth computes it. The caller adds SECRET_HASH to both steps.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html
 */
export class SrpClient {
  readonly #helper: InstanceType<typeof AuthenticationHelper>;
  readonly #poolName: string;
  /** SRP_A for InitiateAuth, hex. */
  readonly A: string;

  constructor(poolId: string) {
    this.#poolName = poolShortName(poolId);
    this.#helper = new AuthenticationHelper(this.#poolName);
    let A = '';
    this.#helper.getLargeAValue((err, a) => {
      if (err) throw err;
      A = a.toString(16);
    });
    this.A = A;
  }

  /**
   * ChallengeResponses for the PASSWORD_VERIFIER challenge (USERNAME is USER_ID_FOR_SRP, as the library sends it),
   * signed for `password` at `nowMs` (the test's clock).
   */
  answer(challenge: Record<string, string>, password: string, nowMs: number): Record<string, string> {
    const userId = challenge.USER_ID_FOR_SRP as string;
    const secretBlock = challenge.SECRET_BLOCK as string;
    let key: Uint8Array | undefined;
    this.#helper.getPasswordAuthenticationKey(
      userId,
      password,
      new BigInteger(challenge.SRP_B as string, 16),
      new BigInteger(challenge.SALT as string, 16),
      (err, k) => {
        if (err) throw err;
        key = k;
      },
    );
    if (!key) throw new Error('the SRP client derived no key');
    const timestamp = formatTimestamp(nowMs);
    const signature = createHmac('sha256', key)
      .update(Buffer.from(this.#poolName, 'utf8'))
      .update(Buffer.from(userId, 'utf8'))
      .update(Buffer.from(secretBlock, 'base64'))
      .update(Buffer.from(timestamp, 'utf8'))
      .digest('base64');
    return {
      USERNAME: userId,
      PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: signature,
    };
  }
}
