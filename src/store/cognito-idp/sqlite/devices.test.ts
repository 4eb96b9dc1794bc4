import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.js';
import type { DeviceRecord } from '../devices.js';

const T0 = Date.UTC(2026, 0, 1);

const device = (over: Partial<DeviceRecord> = {}): DeviceRecord => ({
  poolId: 'p',
  ukey: 'ada',
  deviceKey: 'us-east-1_a',
  groupKey: '-group',
  salt: undefined,
  verifier: undefined,
  name: undefined,
  rememberedStatus: undefined,
  createdAt: T0,
  updatedAt: T0,
  lastAuthenticatedAt: T0,
  ...over,
});

describe('the SQLite device store', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openStores(':memory:');
    stores.idp.pools.insert({ id: 'p', name: 'p', config: {}, createdAt: T0, updatedAt: T0 });
    stores.idp.users.insert({
      poolId: 'p',
      ukey: 'ada',
      username: 'ada',
      sub: 'sub-ada',
      status: 'CONFIRMED',
      enabled: true,
      attributes: { sub: 'sub-ada' },
      srpSalt: undefined,
      srpVerifier: undefined,
      tempPasswordExpiresAt: undefined,
      failedAttempts: 0,
      lockedUntil: 0,
      lastFailedAt: 0,
      createdAt: T0,
      updatedAt: T0,
    });
  });
  afterEach(() => stores.close());

  it('confirms a device, changes its status only once confirmed, and lists the user devices oldest first', () => {
    const { devices } = stores.idp;
    devices.insert(device({ deviceKey: 'us-east-1_b', createdAt: T0 + 1 }));
    devices.insert(device());
    expect(devices.groupKeyOf('p', 'ada')).toBe('-group');
    expect(devices.setStatus('p', 'us-east-1_a', 'remembered', T0)).toBe(false);
    expect(
      devices.confirm('p', 'us-east-1_a', {
        salt: '01',
        verifier: '02',
        name: 'phone',
        status: 'not_remembered',
        now: T0 + 5,
      }),
    ).toBe(true);
    expect(devices.setStatus('p', 'us-east-1_a', 'remembered', T0 + 6)).toBe(true);
    expect(devices.get('p', 'us-east-1_a')).toMatchObject({
      salt: '01',
      verifier: '02',
      name: 'phone',
      rememberedStatus: 'remembered',
      updatedAt: T0 + 6,
    });
    expect(devices.list('p', 'ada').map((d) => d.deviceKey)).toEqual(['us-east-1_a', 'us-east-1_b']);
    expect(devices.delete('p', 'us-east-1_a')).toBe(true);
    expect(devices.delete('p', 'us-east-1_a')).toBe(false);
  });

  it("deletes a user's devices with the user", () => {
    stores.idp.devices.insert(device());
    stores.idp.users.delete('p', 'ada');
    expect(stores.idp.devices.get('p', 'us-east-1_a')).toBeUndefined();
  });
});
