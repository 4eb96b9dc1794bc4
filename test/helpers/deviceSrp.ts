import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { formatTimestamp } from '../../src/services/cognito-idp/srp/index.js';

// amazon-cognito-identity-js's own SRP maths (it ships no types for its lib/ modules).
const require = createRequire(import.meta.url);
interface Helper {
  getLargeAValue(cb: (err: unknown, a: { toString(radix: number): string }) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: unknown,
    salt: unknown,
    cb: (err: unknown, key: Uint8Array) => void,
  ): void;
  generateHashDevice(groupKey: string, deviceKey: string, cb: (err: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js')
  .default as new (
  poolName: string,
) => Helper;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default as new (
  hex: string,
  radix: number,
) => unknown;

/**
 * A device's half of Cognito device authentication, with amazon-cognito-identity-js's AuthenticationHelper as
 * CognitoUser uses it: `generateHashDevice` for ConfirmDevice's DeviceSecretVerifierConfig, then, for
 * DEVICE_SRP_AUTH, a helper whose "pool name" is the DeviceGroupKey and whose username is the DeviceKey.
 */
export class DeviceSrp {
  readonly verifierConfig: { Salt: string; PasswordVerifier: string };
  readonly #password: string;
  #auth: Helper | undefined;

  constructor(
    readonly deviceKey: string,
    readonly groupKey: string,
  ) {
    const helper = new AuthenticationHelper('unused');
    helper.generateHashDevice(groupKey, deviceKey, (err) => {
      if (err) throw err;
    });
    this.verifierConfig = {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    };
    this.#password = helper.getRandomPassword();
  }

  /** DEVICE_SRP_AUTH's answer: USERNAME, DEVICE_KEY and a fresh SRP_A. */
  start(username: string): Record<string, string> {
    this.#auth = new AuthenticationHelper(this.groupKey);
    let A = '';
    this.#auth.getLargeAValue((err, a) => {
      if (err) throw err;
      A = a.toString(16);
    });
    return { USERNAME: username, DEVICE_KEY: this.deviceKey, SRP_A: A };
  }

  /** DEVICE_PASSWORD_VERIFIER's answer to the challenge parameters, signed at `nowMs` (or with a wrong secret). */
  answer(
    challenge: Record<string, string>,
    nowMs: number,
    password = this.#password,
  ): Record<string, string> {
    if (!this.#auth) throw new Error('start() first');
    let key: Uint8Array | undefined;
    this.#auth.getPasswordAuthenticationKey(
      this.deviceKey,
      password,
      new BigInteger(challenge.SRP_B as string, 16),
      new BigInteger(challenge.SALT as string, 16),
      (err, k) => {
        if (err) throw err;
        key = k;
      },
    );
    if (!key) throw new Error('no key derived');
    const timestamp = formatTimestamp(nowMs);
    const signature = createHmac('sha256', key)
      .update(Buffer.from(this.groupKey, 'utf8'))
      .update(Buffer.from(this.deviceKey, 'utf8'))
      .update(Buffer.from(challenge.SECRET_BLOCK as string, 'base64'))
      .update(Buffer.from(timestamp, 'utf8'))
      .digest('base64');
    return {
      USERNAME: challenge.USERNAME as string,
      PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK as string,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: signature,
      DEVICE_KEY: this.deviceKey,
    };
  }
}
