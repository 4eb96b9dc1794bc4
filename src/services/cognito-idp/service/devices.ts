import type {
  DeviceSecretVerifierConfigType,
  DeviceType,
  NewDeviceMetadataType,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  ClientRecord,
  DeviceRecord,
  DeviceRememberedStatus,
  PoolRecord,
  UserRecord,
} from '../../../store/index.js';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException } from '../errors.js';
import * as srp from '../srp/index.js';
import type { AuthStep } from './auth.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import { incorrect } from './passwordCheck.js';
import { tokenValidity } from './settings.js';

/** The pool's DeviceConfiguration, read as Cognito does: any property given turns device tracking on. */
export interface DeviceSettings {
  /** A remembered device signs in with device authentication instead of an MFA code. */
  challengeRequiredOnNewDevice: boolean;
  /** ConfirmDevice leaves the device not remembered until UpdateDeviceStatus remembers it. */
  deviceOnlyRememberedOnUserPrompt: boolean;
}

const bool = (v: unknown) => v === true || v === 'true';

/**
 * The pool's device settings, or undefined when it does not track devices (DescribeUserPool returns no
 * DeviceConfiguration then).
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeviceConfigurationType.html
 */
export function deviceSettings(pool: PoolRecord): DeviceSettings | undefined {
  const c = pool.config.DeviceConfiguration;
  if (typeof c !== 'object' || c === null) return undefined;
  const o = c as Record<string, unknown>;
  if (o.ChallengeRequiredOnNewDevice === undefined && o.DeviceOnlyRememberedOnUserPrompt === undefined) {
    return undefined;
  }
  return {
    challengeRequiredOnNewDevice: bool(o.ChallengeRequiredOnNewDevice),
    deviceOnlyRememberedOnUserPrompt: bool(o.DeviceOnlyRememberedOnUserPrompt),
  };
}

/** Cognito's wording for a device key that is not one of the user's devices (the SDKs match on "device"). */
const notFound = () => new ResourceNotFoundException('Device does not exist.');
const invalidSession = () => new NotAuthorizedException('Invalid session for the user, session is expired.');
const MAX_LIST = 60;

/** What a finished device sign-in mints: tokens for the user, bound to the device (no NewDeviceMetadata). */
export type FinishDeviceSignIn = (user: UserRecord, deviceKey: string) => Promise<AuthStep>;

/** base64 (as ConfirmDevice carries the salt and verifier) to hex, or undefined when it is not a usable number. */
function base64ToHex(v: string | undefined): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2048 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) {
    return undefined;
  }
  const hex = Buffer.from(v, 'base64').toString('hex');
  return hex.length > 0 && /[1-9a-f]/.test(hex) ? hex : undefined;
}

/**
 * Device tracking: the keys issued at sign-in, ConfirmDevice, the device operations and their Admin* forms, and
 * device authentication (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), through which a remembered device skips MFA.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
 */
export class DeviceService {
  constructor(private readonly core: Core) {}

  static handles(challenge: string): boolean {
    return challenge === 'DEVICE_SRP_AUTH' || challenge === 'DEVICE_PASSWORD_VERIFIER';
  }

  /**
   * A new device key for a sign-in that did not authenticate a device, when the pool tracks devices: `region_uuid`,
   * with the group key the user's devices share. The device stays invisible until ConfirmDevice.
   */
  newDevice(pool: PoolRecord, user: UserRecord): NewDeviceMetadataType | undefined {
    if (!deviceSettings(pool)) return undefined;
    const region = pool.id.slice(0, pool.id.indexOf('_'));
    const deviceKey = `${region}_${this.core.ids.uuid()}`;
    const groupKey = this.core.store.devices.groupKeyOf(pool.id, user.ukey) ?? this.#newGroupKey();
    const now = this.core.now();
    this.core.store.devices.insert({
      poolId: pool.id,
      ukey: user.ukey,
      deviceKey,
      groupKey,
      salt: undefined,
      verifier: undefined,
      name: undefined,
      rememberedStatus: undefined,
      createdAt: now,
      updatedAt: now,
      lastAuthenticatedAt: now,
    });
    return { DeviceKey: deviceKey, DeviceGroupKey: groupKey };
  }

  /** A DeviceGroupKey in Cognito's shape: `-` and nine letters or digits. */
  #newGroupKey(): string {
    let chars = '';
    for (let i = 0; i < 4 && chars.length < 9; i++)
      chars += this.core.ids.opaque(12).replace(/[^A-Za-z0-9]/g, '');
    return `-${chars.padEnd(9, '0').slice(0, 9)}`;
  }

  /** The user's confirmed device with this key, or ResourceNotFoundException. */
  #confirmed(pool: PoolRecord, user: UserRecord, deviceKey: string | undefined): DeviceRecord {
    const d = deviceKey ? this.core.store.devices.get(pool.id, deviceKey) : undefined;
    if (!d || d.ukey !== user.ukey || d.verifier === undefined || d.salt === undefined) throw notFound();
    return d;
  }

  /**
   * The device a sign-in names (DEVICE_KEY), to authenticate after the password: undefined when none is named or the
   * pool does not track devices; ResourceNotFoundException when it is not one of the user's confirmed devices
   * (amazon-cognito-identity-js then forgets the key and answers the same challenge again without it, so `restore`
   * puts the challenge session back first).
   */
  forSignIn(
    pool: PoolRecord,
    user: UserRecord,
    deviceKey: string | undefined,
    restore?: () => void,
  ): DeviceRecord | undefined {
    if (!deviceKey || !deviceSettings(pool)) return undefined;
    try {
      return this.#confirmed(pool, user, deviceKey);
    } catch (err) {
      restore?.();
      throw err;
    }
  }

  /** A remembered device stands in for MFA when the pool says so (ChallengeRequiredOnNewDevice). */
  skipsMfa(pool: PoolRecord, device: DeviceRecord): boolean {
    return (
      deviceSettings(pool)?.challengeRequiredOnNewDevice === true && device.rememberedStatus === 'remembered'
    );
  }

  /** After an MFA answer that named a device (DEVICE_KEY): the device challenge, or undefined for a new device. */
  afterMfa(
    pool: PoolRecord,
    client: ClientRecord,
    user: UserRecord,
    deviceKey: string | undefined,
  ): AuthStep | undefined {
    if (!deviceKey || !deviceSettings(pool)) return undefined;
    const d = this.core.store.devices.get(pool.id, deviceKey);
    if (!d || d.ukey !== user.ukey || d.verifier === undefined) return undefined;
    return this.challenge(pool, client, user, d);
  }

  #session(pool: PoolRecord, client: ClientRecord, kind: string, data: Record<string, unknown>): string {
    const session = this.core.ids.opaque(96);
    this.core.store.sessions.insert({
      id: sha256(session),
      poolId: pool.id,
      clientId: client.id,
      kind,
      data,
      expiresAt: this.core.now() + tokenValidity(client).sessionSec * 1000,
    });
    return session;
  }

  /** DEVICE_SRP_AUTH: the client answers with its device key and SRP_A. */
  challenge(pool: PoolRecord, client: ClientRecord, user: UserRecord, device: DeviceRecord): AuthStep {
    return {
      ChallengeName: 'DEVICE_SRP_AUTH',
      Session: this.#session(pool, client, 'DEVICE_SRP_AUTH', {
        ukey: user.ukey,
        deviceKey: device.deviceKey,
      }),
      ChallengeParameters: { USERNAME: user.username },
    };
  }

  /** The session of a device challenge, its user and device, after the checks every answer gets. */
  #answer(
    client: ClientRecord,
    kind: string,
    responses: Record<string, string>,
    session: string | undefined,
  ) {
    if (!session) throw new InvalidParameterException('Missing required parameter Session');
    const s = this.core.store.sessions.take(sha256(session));
    if (!s || s.clientId !== client.id || s.kind !== kind || s.expiresAt <= this.core.now()) {
      throw invalidSession();
    }
    const pool = this.core.requirePool(s.poolId);
    const data = s.data as {
      ukey: string;
      deviceKey: string;
      A?: string;
      b?: string;
      B?: string;
      block?: string;
    };
    const user = this.core.store.users.get(pool.id, data.ukey);
    if (!user) throw invalidSession();
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    this.core.checkSecretHash(client, [responses.USERNAME, user.username], responses.SECRET_HASH);
    if (!responses.DEVICE_KEY) throw new InvalidParameterException('Missing required parameter DEVICE_KEY');
    if (responses.DEVICE_KEY !== data.deviceKey) throw notFound();
    return { pool, user, data, device: this.#confirmed(pool, user, data.deviceKey) };
  }

  /**
   * RespondToAuthChallenge DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: the user's SRP exchange again, with the
   * device's verifier, the DeviceGroupKey as pool name and the DeviceKey as username.
   */
  async respond(
    client: ClientRecord,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
    finish: FinishDeviceSignIn,
  ): Promise<AuthStep> {
    if (challenge === 'DEVICE_SRP_AUTH') {
      const { pool, user, device } = this.#answer(client, challenge, responses, session);
      const A = responses.SRP_A;
      if (!A) throw new InvalidParameterException('Missing required parameter SRP_A');
      if (!/^[0-9a-fA-F]{1,2048}$/.test(A) || BigInt(`0x${A}`) % srp.N === 0n) {
        throw new NotAuthorizedException('Invalid SRP_A value.');
      }
      const { b, B } = srp.startSession(device.verifier as string);
      const block = srp.newSecretBlock();
      const next = this.#session(pool, client, 'DEVICE_PASSWORD_VERIFIER', {
        ukey: user.ukey,
        deviceKey: device.deviceKey,
        A,
        b,
        B,
        block,
      });
      return {
        ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
        Session: next,
        ChallengeParameters: {
          SALT: device.salt as string,
          SRP_B: B,
          SECRET_BLOCK: block,
          USERNAME: user.username,
          DEVICE_KEY: device.deviceKey,
        },
      };
    }
    const { pool, user, data, device } = this.#answer(client, challenge, responses, session);
    const ok =
      responses.PASSWORD_CLAIM_SECRET_BLOCK === data.block &&
      srp.verifyDeviceClaim({
        deviceGroupKey: device.groupKey,
        deviceKey: device.deviceKey,
        verifierHex: device.verifier as string,
        A: data.A ?? '',
        b: data.b ?? '',
        B: data.B ?? '',
        secretBlockB64: data.block ?? '',
        timestamp: responses.TIMESTAMP ?? '',
        signatureB64: responses.PASSWORD_CLAIM_SIGNATURE ?? '',
      });
    if (!ok) throw incorrect();
    this.core.store.devices.touchAuthenticated(pool.id, device.deviceKey, this.core.now());
    return finish(user, device.deviceKey);
  }

  /**
   * ConfirmDevice: stores the device's SRP salt and verifier (base64, as the SDKs send them) and its name. The device
   * is remembered at once unless the pool asks the user first (DeviceOnlyRememberedOnUserPrompt), which the answer's
   * UserConfirmationNecessary tells the app.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmDevice.html
   */
  confirm(
    pool: PoolRecord,
    user: UserRecord,
    deviceKey: string,
    config: DeviceSecretVerifierConfigType | undefined,
    name: string | undefined,
  ): { UserConfirmationNecessary: boolean } {
    const d = this.core.store.devices.get(pool.id, deviceKey);
    const settings = deviceSettings(pool);
    if (!d || d.ukey !== user.ukey || !settings) throw notFound();
    const salt = base64ToHex(config?.Salt);
    const verifier = base64ToHex(config?.PasswordVerifier);
    if (!salt || !verifier || BigInt(`0x${verifier}`) >= srp.N) {
      // [unverified] wording: Cognito's own for a missing or malformed DeviceSecretVerifierConfig is not documented.
      throw new InvalidParameterException(
        'Invalid DeviceSecretVerifierConfig: Salt and PasswordVerifier are required.',
      );
    }
    const prompt = settings.deviceOnlyRememberedOnUserPrompt;
    this.core.store.devices.confirm(pool.id, deviceKey, {
      salt,
      verifier,
      name,
      status: prompt ? 'not_remembered' : 'remembered',
      now: this.core.now(),
    });
    return { UserConfirmationNecessary: prompt };
  }

  /**
   * GetDevice and AdminGetDevice. The user's own view shows remembered devices only (a not-remembered one is
   * ResourceNotFoundException, as AWS's Android SDK integration tests expect); the admin sees every confirmed device.
   */
  get(pool: PoolRecord, user: UserRecord, deviceKey: string, admin: boolean): DeviceType {
    const d = this.#confirmed(pool, user, deviceKey);
    if (!admin && d.rememberedStatus !== 'remembered') throw notFound();
    return this.#view(pool, user, d);
  }

  /** ListDevices and AdminListDevices: oldest first, at most `limit` (≤ 60) per page. */
  list(
    pool: PoolRecord,
    user: UserRecord,
    limit: number | undefined,
    token: string | undefined,
    admin: boolean,
  ): { Devices: DeviceType[]; PaginationToken?: string } {
    const all = this.core.store.devices
      .list(pool.id, user.ukey)
      .filter((d) => d.verifier !== undefined && (admin || d.rememberedStatus === 'remembered'));
    let start = 0;
    if (token !== undefined) {
      const after = Buffer.from(token, 'base64url').toString('utf8');
      start = all.findIndex((d) => d.deviceKey === after) + 1;
      if (start === 0) throw new InvalidParameterException('Invalid pagination token.');
    }
    const max = limit && limit > 0 ? Math.min(limit, MAX_LIST) : MAX_LIST;
    const page = all.slice(start, start + max);
    const last = page.at(-1);
    return {
      Devices: page.map((d) => this.#view(pool, user, d)),
      ...(start + max < all.length && last
        ? { PaginationToken: Buffer.from(last.deviceKey, 'utf8').toString('base64url') }
        : {}),
    };
  }

  /** UpdateDeviceStatus and AdminUpdateDeviceStatus. */
  setStatus(pool: PoolRecord, user: UserRecord, deviceKey: string, status: string | undefined): void {
    const d = this.#confirmed(pool, user, deviceKey);
    if (status !== 'remembered' && status !== 'not_remembered') {
      throw new InvalidParameterException(
        "1 validation error detected: Value at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
      );
    }
    if (
      !this.core.store.devices.setStatus(
        pool.id,
        d.deviceKey,
        status as DeviceRememberedStatus,
        this.core.now(),
      )
    ) {
      throw notFound();
    }
  }

  /** ForgetDevice and AdminForgetDevice: the device, and with it the refresh tokens bound to it, stop working. */
  forget(pool: PoolRecord, user: UserRecord, deviceKey: string): void {
    const d = this.#confirmed(pool, user, deviceKey);
    if (!this.core.store.devices.delete(pool.id, d.deviceKey)) throw notFound();
  }

  /** Cognito's DeviceType (attributes as in the AWS CLI reference's get-device example). */
  #view(pool: PoolRecord, user: UserRecord, d: DeviceRecord): DeviceType {
    const owner = `${user.username}.${pool.id}`;
    return {
      DeviceKey: d.deviceKey,
      DeviceAttributes: [
        { Name: 'device_status', Value: 'valid' },
        ...(d.name !== undefined ? [{ Name: 'device_name', Value: d.name }] : []),
        {
          Name: 'dev:device_arn',
          Value: `arn:aws:cognito-idp:${this.core.urls.region}:000000000000:owner/${owner}/device/${d.deviceKey}`,
        },
        { Name: 'dev:device_owner', Value: owner },
        { Name: 'dev:device_remembered_status', Value: d.rememberedStatus ?? 'not_remembered' },
      ],
      DeviceCreateDate: new Date(d.createdAt),
      DeviceLastModifiedDate: new Date(d.updatedAt),
      DeviceLastAuthenticatedDate: new Date(d.lastAuthenticatedAt),
    };
  }
}
