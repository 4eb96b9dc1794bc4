import {
  AdminCreateUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  confirmSignIn,
  fetchAuthSession,
  fetchDevices,
  forgetDevice,
  rememberDevice,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from './harness.js';

const PASSWORD = 'Amplify-Passw0rd!';

/**
 * Amplify v6 with a pool that remembers devices on the user's word and lets a remembered device stand in for MFA:
 * Amplify confirms the device after sign-in, `rememberDevice` remembers it, and the next sign-in on it is not asked
 * for a TOTP code.
 */
describe('Amplify v6 session: remembered devices', () => {
  let cloud: AmplifyCloud;
  let poolId: string;
  let clientId: string;
  let stubbedNavigator = false;

  const totpCode = async (secret: string) => {
    await cloud.advance(30);
    const res = await fetch(`${cloud.idp.url}/_gatehouse/clock`);
    const { now } = (await res.json()) as { now: string };
    return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.parse(now) });
  };

  beforeAll(async () => {
    // Amplify names the device from `navigator` (a browser has one; Node has it only from 21 on). Without it Amplify
    // skips ConfirmDevice silently.
    if ((globalThis as { navigator?: unknown }).navigator === undefined) {
      Object.defineProperty(globalThis, 'navigator', {
        value: { userAgent: 'Gatehouse test browser' },
        configurable: true,
      });
      stubbedNavigator = true;
    }
    cloud = await startAmplifyCloud();
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'amplify-devices',
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await cloud.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'amp', MessageAction: 'SUPPRESS' }),
    );
    await cloud.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'amp',
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  });
  afterAll(async () => {
    await signOut().catch(() => undefined);
    await cloud?.stop();
    if (stubbedNavigator) Reflect.deleteProperty(globalThis, 'navigator');
  });

  it('remembers the device, skips MFA on it, refreshes with its key, and asks again once it is forgotten', async () => {
    cloud.configure(poolId, clientId);
    expect((await signIn({ username: 'amp', password: PASSWORD })).isSignedIn).toBe(true);
    const deviceKey = cloud.storage.find('.deviceKey') as string;
    expect(deviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    const { sharedSecret } = await setUpTOTP();
    await verifyTOTPSetup({ code: await totpCode(sharedSecret) });
    await updateMFAPreference({ totp: 'PREFERRED' });

    // Confirmed but not remembered yet (the pool asks the user): fetchDevices lists remembered devices only.
    expect(await fetchDevices()).toEqual([]);
    await rememberDevice();
    const devices = await fetchDevices();
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      id: deviceKey,
      attributes: { 'dev:device_remembered_status': 'remembered', device_status: 'valid' },
    });
    expect(devices[0]?.name).toEqual(expect.any(String));
    await signOut();

    // The remembered device signs in through DEVICE_SRP_AUTH: no TOTP code is asked.
    const again = await signIn({ username: 'amp', password: PASSWORD });
    expect(again).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const session = await fetchAuthSession({ forceRefresh: true });
    expect(session.tokens?.accessToken.payload.device_key).toBe(deviceKey);
    // No second device was issued for this sign-in.
    const all = await cloud.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'amp' }));
    expect(all.Devices?.map((d) => d.DeviceKey)).toEqual([deviceKey]);

    await forgetDevice();
    expect(await fetchDevices()).toEqual([]);
    await signOut();

    // Forgotten: the next sign-in owes its TOTP code again, and gets a new device.
    const step = await signIn({ username: 'amp', password: PASSWORD });
    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect((await confirmSignIn({ challengeResponse: await totpCode(sharedSecret) })).isSignedIn).toBe(true);
    const newKey = cloud.storage.find('.deviceKey');
    expect(newKey).toMatch(/^us-east-1_/);
    expect(newKey).not.toBe(deviceKey);
    expect(await fetchDevices()).toEqual([]);
  });
});
