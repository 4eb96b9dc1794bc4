/** The status UpdateDeviceStatus sets: only a remembered device may stand in for MFA. */
export type DeviceRememberedStatus = 'remembered' | 'not_remembered';

/**
 * A device a user signed in from, as the pool tracks it. The sign-in that issued its key creates it unconfirmed
 * (no verifier); ConfirmDevice stores the device's SRP salt and verifier, never its secret.
 */
export interface DeviceRecord {
  poolId: string;
  ukey: string;
  /** `region_uuid`, Cognito's DeviceKey. */
  deviceKey: string;
  /** The user's DeviceGroupKey: the "pool name" of the device's SRP maths. */
  groupKey: string;
  /** Hex salt and verifier from ConfirmDevice's DeviceSecretVerifierConfig; undefined until confirmed. */
  salt: string | undefined;
  verifier: string | undefined;
  name: string | undefined;
  /** Undefined until confirmed. */
  rememberedStatus: DeviceRememberedStatus | undefined;
  createdAt: number;
  updatedAt: number;
  /** The last device authentication (or the confirming sign-in). */
  lastAuthenticatedAt: number;
}

/** Users' devices. Writes are single statements. */
export interface DeviceStore {
  insert(d: DeviceRecord): void;
  get(poolId: string, deviceKey: string): DeviceRecord | undefined;
  /** A user's devices, oldest first (created_at, then device_key). */
  list(poolId: string, ukey: string): DeviceRecord[];
  /** The group key the user's devices share, if the user has any device. */
  groupKeyOf(poolId: string, ukey: string): string | undefined;
  /** ConfirmDevice: the verifier, salt, name and status; false when the device is gone. */
  confirm(
    poolId: string,
    deviceKey: string,
    c: {
      salt: string;
      verifier: string;
      name: string | undefined;
      status: DeviceRememberedStatus;
      now: number;
    },
  ): boolean;
  setStatus(poolId: string, deviceKey: string, status: DeviceRememberedStatus, now: number): boolean;
  touchAuthenticated(poolId: string, deviceKey: string, now: number): void;
  delete(poolId: string, deviceKey: string): boolean;
  statementSql(): Record<string, string>;
}
