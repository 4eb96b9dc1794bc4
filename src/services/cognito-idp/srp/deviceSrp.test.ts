import { describe, expect, it } from 'vitest';
import { DeviceSrp } from '../../../../test/helpers/deviceSrp.js';
import { newSecretBlock, startSession, verifyDeviceClaim } from './index.js';

const DEVICE_KEY = 'us-east-1_6f1c2c1e-8a53-4f53-9d3c-0c9b1f2f4a11';
const GROUP_KEY = '-AbCdEfGhI';
const NOW = Date.UTC(2026, 2, 1, 9);

/**
 * Device authentication's server half against amazon-cognito-identity-js's client half: the verifier the library
 * registers with ConfirmDevice, and the DEVICE_PASSWORD_VERIFIER signature it computes with the DeviceGroupKey as
 * pool name and the DeviceKey as username.
 */
describe('device SRP', () => {
  const exchange = (signWith?: string, groupKey = GROUP_KEY) => {
    const device = new DeviceSrp(DEVICE_KEY, GROUP_KEY);
    const verifierHex = Buffer.from(device.verifierConfig.PasswordVerifier, 'base64').toString('hex');
    const saltHex = Buffer.from(device.verifierConfig.Salt, 'base64').toString('hex');
    const { b, B } = startSession(verifierHex);
    const block = newSecretBlock();
    const { SRP_A } = device.start('ada');
    const answer = device.answer(
      { SRP_B: B, SALT: saltHex, SECRET_BLOCK: block, USERNAME: 'ada' },
      NOW,
      signWith,
    );
    return verifyDeviceClaim({
      deviceGroupKey: groupKey,
      deviceKey: DEVICE_KEY,
      verifierHex,
      A: SRP_A as string,
      b,
      B,
      secretBlockB64: block,
      timestamp: answer.TIMESTAMP as string,
      signatureB64: answer.PASSWORD_CLAIM_SIGNATURE as string,
    });
  };

  it("accepts the library's claim made with the device's own secret", () => {
    expect(exchange()).toBe(true);
  });

  it('refuses a claim made with another secret', () => {
    expect(exchange('not-the-device-secret')).toBe(false);
  });

  it('refuses a claim checked against another group key', () => {
    expect(exchange(undefined, '-ZzZzZzZzZ')).toBe(false);
  });

  it('refuses malformed input without throwing', () => {
    const base = {
      deviceGroupKey: GROUP_KEY,
      deviceKey: DEVICE_KEY,
      verifierHex: 'ab',
      A: '0',
      b: '1',
      B: '2',
      secretBlockB64: '',
      timestamp: '',
      signatureB64: '',
    };
    expect(verifyDeviceClaim(base)).toBe(false);
    expect(verifyDeviceClaim({ ...base, A: 'zz' })).toBe(false);
  });
});
