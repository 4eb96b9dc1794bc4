import {
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from './harness.js';

const PASSWORD = 'Device-Passw0rd!';

/** How one CognitoUser.authenticateUser ended: signed in (and whether MFA was asked), or an error. */
interface SignedIn {
  session: CognitoUserSession;
  mfaAsked: boolean;
  userConfirmationNecessary: boolean | undefined;
}

/**
 * amazon-cognito-identity-js's device flow against the local cloud: a pool that remembers devices and requires TOTP,
 * ConfirmDevice after the first sign-in, `setDeviceStatusRemembered`, then a sign-in that authenticates the device
 * (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and is not asked for a code.
 */
describe('amazon-cognito-identity-js: remembered devices', () => {
  let cloud: AmplifyCloud;
  let poolId: string;
  let clientId: string;
  let userPool: CognitoUserPool;
  let secret: string;

  /** A TOTP code a step after the last one used (no code is accepted twice), from otpauth. */
  const totpCode = async () => {
    await cloud.advance(30);
    const res = await fetch(`${cloud.idp.url}/_gatehouse/clock`);
    const { now } = (await res.json()) as { now: string };
    return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.parse(now) });
  };

  const signIn = (user: CognitoUser): Promise<SignedIn> => {
    let mfaAsked = false;
    return new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: (session: CognitoUserSession, userConfirmationNecessary?: boolean) =>
          resolve({ session, mfaAsked, userConfirmationNecessary }),
        onFailure: reject,
        totpRequired: () => {
          mfaAsked = true;
          totpCode().then(
            (code) => user.sendMFACode(code, callbacks, 'SOFTWARE_TOKEN_MFA'),
            (err: unknown) => reject(err),
          );
        },
        mfaRequired: () => reject(new Error('unexpected SMS_MFA')),
      };
      user.authenticateUser(new AuthenticationDetails({ Username: 'dev', Password: PASSWORD }), callbacks);
    });
  };

  const call = <T>(fn: (cb: { onSuccess: (r: T) => void; onFailure: (e: Error) => void }) => void) =>
    new Promise<T>((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'devices',
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'spa',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${cloud.idp.url}/` });
    await cloud.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'dev', MessageAction: 'SUPPRESS' }),
    );
    await cloud.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'dev',
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    // TOTP set up through the API: MFA_SETUP's session, then the user's preference.
    const first = await cloud.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'dev', PASSWORD },
      }),
    );
    expect(first.ChallengeName).toBe('MFA_SETUP');
    const assoc = await cloud.sdk.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
    secret = assoc.SecretCode as string;
    const verified = await cloud.sdk.send(
      new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: await totpCode() }),
    );
    expect(verified.Status).toBe('SUCCESS');
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('describes the pool with its DeviceConfiguration', async () => {
    const d = await cloud.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(d.UserPool?.DeviceConfiguration).toEqual({
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: true,
    });
  });

  it('confirms a new device, remembers it, then signs in through device SRP without an MFA code', async () => {
    const user = new CognitoUser({ Username: 'dev', Pool: userPool });
    const first = await signIn(user);
    expect(first.mfaAsked).toBe(true);
    // The pool asks the user before remembering (DeviceOnlyRememberedOnUserPrompt).
    expect(first.userConfirmationNecessary).toBe(true);
    const deviceKey = decodeJwt(first.session.getAccessToken().getJwtToken()).device_key as string;
    expect(deviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    // Not remembered yet: the admin sees it, the user's own list does not.
    const admin = await cloud.sdk.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'dev', DeviceKey: deviceKey }),
    );
    expect(admin.Device?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'not_remembered',
    });
    const before = await call<{ Devices: unknown[] }>((cb) => user.listDevices(10, null, cb));
    expect(before.Devices).toEqual([]);

    await call((cb) => user.setDeviceStatusRemembered(cb));
    const listed = await call<{ Devices: { DeviceKey: string; DeviceAttributes: unknown[] }[] }>((cb) =>
      user.listDevices(10, null, cb),
    );
    expect(listed.Devices.map((d) => d.DeviceKey)).toEqual([deviceKey]);
    expect(listed.Devices[0]?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'remembered',
    });
    const got = (await call<string>((cb) => user.getDevice(cb))) as unknown as {
      Device: { DeviceKey: string };
    };
    expect(got.Device.DeviceKey).toBe(deviceKey);

    // A fresh sign-in on this device: the library answers DEVICE_SRP_AUTH with the device's secret; no code asked.
    const again = new CognitoUser({ Username: 'dev', Pool: userPool });
    const second = await signIn(again);
    expect(second.mfaAsked).toBe(false);
    expect(decodeJwt(second.session.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);
    // A device sign-in issues no new device.
    const all = await cloud.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dev' }));
    expect(all.Devices?.map((d) => d.DeviceKey)).toEqual([deviceKey]);

    // Refresh names the device (the library sends DEVICE_KEY from its cache).
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.refreshSession(second.session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))),
    );
    expect(decodeJwt(refreshed.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);
    // Without the device key the refresh token is refused: it is bound to its device.
    await expect(
      cloud.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: second.session.getRefreshToken().getToken() },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });

    // The admin can forget it too.
    await cloud.sdk.send(
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'dev', DeviceKey: deviceKey }),
    );
    const left = await cloud.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dev' }));
    expect(left.Devices).toEqual([]);
  });

  it('forgets the current device through forgetDevice', async () => {
    const user = new CognitoUser({ Username: 'dev', Pool: userPool });
    // The library still holds the device the admin forgot above: its PASSWORD_VERIFIER names it, gets "Device does not
    // exist." and answers again with `DEVICE_KEY: null`, which signs in (with MFA, and a new device).
    const session = (await signIn(user)).session;
    const deviceKey = decodeJwt(session.getAccessToken().getJwtToken()).device_key as string;
    await call((cb) => user.setDeviceStatusRemembered(cb));
    await call((cb) => user.forgetDevice(cb));
    const all = await cloud.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dev' }));
    expect(all.Devices?.map((d) => d.DeviceKey)).not.toContain(deviceKey);
    // The user's refresh token was bound to the forgotten device.
    await expect(
      cloud.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken(), DEVICE_KEY: deviceKey },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    // With MFA owed and no remembered device, the next sign-in asks for the code again.
    expect((await signIn(new CognitoUser({ Username: 'dev', Pool: userPool }))).mfaAsked).toBe(true);
  });
});
