import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateDeviceStatusCommand,
  AdminUserGlobalSignOutCommand,
  type AuthenticationResultType,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { DeviceSrp } from '../helpers/deviceSrp.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';
import { SrpClient } from '../helpers/srpClient.js';

const PASSWORD = 'Device-Errors-Passw0rd!';
const BAD_TOKEN = 'not-a-token';

/** Every device operation's errors as the AWS SDK v3 sees them (`__type` as the name, and the message). */
describe('device operations through the SDK', () => {
  let idp: TestIdp;
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 9));
  let poolId: string;
  let clientId: string;

  const rejects = (p: Promise<unknown>, name: string, message: string | RegExp) =>
    expect(p).rejects.toMatchObject({ name, message: expect.stringMatching(message) });

  const user = async (name: string) => {
    await idp.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' }),
    );
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: name,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  };
  /** A password sign-in on a new device, confirmed: its tokens and the device's SRP half. */
  const signInNewDevice = async (name: string) => {
    const r = await idp.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: name, PASSWORD },
      }),
    );
    const result = r.AuthenticationResult as AuthenticationResultType;
    const meta = result.NewDeviceMetadata as { DeviceKey: string; DeviceGroupKey: string };
    const device = new DeviceSrp(meta.DeviceKey, meta.DeviceGroupKey);
    return { result, meta, device, access: result.AccessToken as string };
  };
  const confirm = (access: string, device: DeviceSrp, name = 'test device') =>
    idp.sdk.send(
      new ConfirmDeviceCommand({
        AccessToken: access,
        DeviceKey: device.deviceKey,
        DeviceSecretVerifierConfig: device.verifierConfig,
        DeviceName: name,
      }),
    );

  beforeAll(async () => {
    idp = await startTestIdp({ clock });
    const pool = await idp.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'device-errors',
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    const client = await idp.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'api',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await user('ada');
    await user('bob');
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('gives every sign-in without a device a new device key, bound to its tokens', async () => {
    const { meta, access, result } = await signInNewDevice('ada');
    expect(meta.DeviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    expect(meta.DeviceGroupKey).toMatch(/^-[A-Za-z0-9]{9}$/);
    expect(decodeJwt(access).device_key).toBe(meta.DeviceKey);
    // The same user's devices share a group key.
    expect((await signInNewDevice('ada')).meta.DeviceGroupKey).toBe(meta.DeviceGroupKey);
    // Refresh names the device: without it, or with another, the token is refused.
    const refresh = result.RefreshToken as string;
    await rejects(
      idp.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh })),
      'NotAuthorizedException',
      /^Invalid Refresh Token$/,
    );
    const ok = await idp.sdk.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        RefreshToken: refresh,
        DeviceKey: meta.DeviceKey,
      }),
    );
    expect(decodeJwt(ok.AuthenticationResult?.AccessToken as string).device_key).toBe(meta.DeviceKey);
  });

  it('ConfirmDevice: remembers at once in an "always" pool; refuses bad tokens, unknown devices and bad verifiers', async () => {
    const { access, device } = await signInNewDevice('ada');
    const bob = await signInNewDevice('bob');
    await rejects(confirm(BAD_TOKEN, device), 'NotAuthorizedException', /^Invalid Access Token$/);
    await rejects(
      idp.sdk.send(
        new ConfirmDeviceCommand({
          AccessToken: access,
          DeviceKey: 'us-east-1_00000000-0000-0000-0000-000000000000',
        }),
      ),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
    // Another user's device is not this user's to confirm.
    await rejects(confirm(access, bob.device), 'ResourceNotFoundException', /^Device does not exist\.$/);
    await rejects(
      idp.sdk.send(new ConfirmDeviceCommand({ AccessToken: access, DeviceKey: device.deviceKey })),
      'InvalidParameterException',
      /DeviceSecretVerifierConfig/,
    );
    expect(await confirm(access, device)).toMatchObject({ UserConfirmationNecessary: false });
    const got = await idp.sdk.send(
      new GetDeviceCommand({ AccessToken: access, DeviceKey: device.deviceKey }),
    );
    expect(got.Device?.DeviceAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'device_status', Value: 'valid' },
        { Name: 'device_name', Value: 'test device' },
        { Name: 'dev:device_remembered_status', Value: 'remembered' },
      ]),
    );
    expect(got.Device?.DeviceCreateDate).toEqual(new Date(clock.now()));
  });

  it('GetDevice, UpdateDeviceStatus, ForgetDevice: bad tokens, unknown devices and bad statuses', async () => {
    const { access, device } = await signInNewDevice('ada');
    await confirm(access, device);
    const key = device.deviceKey;
    const unknown = 'us-east-1_11111111-1111-1111-1111-111111111111';
    await rejects(
      idp.sdk.send(new GetDeviceCommand({ AccessToken: BAD_TOKEN, DeviceKey: key })),
      'NotAuthorizedException',
      /^Invalid Access Token$/,
    );
    await rejects(
      idp.sdk.send(new GetDeviceCommand({ AccessToken: access, DeviceKey: unknown })),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
    await rejects(
      idp.sdk.send(
        new UpdateDeviceStatusCommand({
          AccessToken: BAD_TOKEN,
          DeviceKey: key,
          DeviceRememberedStatus: 'remembered',
        }),
      ),
      'NotAuthorizedException',
      /^Invalid Access Token$/,
    );
    await rejects(
      idp.sdk.send(
        new UpdateDeviceStatusCommand({
          AccessToken: access,
          DeviceKey: unknown,
          DeviceRememberedStatus: 'remembered',
        }),
      ),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
    await rejects(
      idp.sdk.send(
        new UpdateDeviceStatusCommand({
          AccessToken: access,
          DeviceKey: key,
          DeviceRememberedStatus: 'forever' as never,
        }),
      ),
      'InvalidParameterException',
      /deviceRememberedStatus/,
    );
    // Not remembered: the user's own GetDevice no longer finds it, the admin's does.
    await idp.sdk.send(
      new UpdateDeviceStatusCommand({
        AccessToken: access,
        DeviceKey: key,
        DeviceRememberedStatus: 'not_remembered',
      }),
    );
    await rejects(
      idp.sdk.send(new GetDeviceCommand({ AccessToken: access, DeviceKey: key })),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
    const admin = await idp.sdk.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'ada', DeviceKey: key }),
    );
    expect(admin.Device?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'not_remembered',
    });

    await rejects(
      idp.sdk.send(new ForgetDeviceCommand({ AccessToken: BAD_TOKEN, DeviceKey: key })),
      'NotAuthorizedException',
      /^Invalid Access Token$/,
    );
    await idp.sdk.send(new ForgetDeviceCommand({ AccessToken: access, DeviceKey: key }));
    await rejects(
      idp.sdk.send(new ForgetDeviceCommand({ AccessToken: access, DeviceKey: key })),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
  });

  it('ListDevices pages with Limit and PaginationToken, and refuses a bad token or limit', async () => {
    await user('cat');
    const first = await signInNewDevice('cat');
    await confirm(first.access, first.device, 'one');
    const second = await signInNewDevice('cat');
    await confirm(second.access, second.device, 'two');
    const page1 = await idp.sdk.send(new ListDevicesCommand({ AccessToken: second.access, Limit: 1 }));
    expect(page1.Devices).toHaveLength(1);
    expect(page1.PaginationToken).toEqual(expect.any(String));
    const page2 = await idp.sdk.send(
      new ListDevicesCommand({
        AccessToken: second.access,
        Limit: 1,
        PaginationToken: page1.PaginationToken,
      }),
    );
    // Oldest first; these two were made in the same instant of the test clock, so only the set is certain.
    expect([...(page1.Devices ?? []), ...(page2.Devices ?? [])].map((d) => d.DeviceKey).sort()).toEqual(
      [first.device.deviceKey, second.device.deviceKey].sort(),
    );
    expect(page2.PaginationToken).toBeUndefined();
    await rejects(
      idp.sdk.send(new ListDevicesCommand({ AccessToken: BAD_TOKEN })),
      'NotAuthorizedException',
      /^Invalid Access Token$/,
    );
    await rejects(
      idp.sdk.send(new ListDevicesCommand({ AccessToken: second.access, PaginationToken: 'bm9wZQ' })),
      'InvalidParameterException',
      /pagination token/i,
    );
    await rejects(
      idp.sdk.send(new ListDevicesCommand({ AccessToken: second.access, Limit: 61 })),
      'InvalidParameterException',
      /limit/,
    );
    const admin = await idp.sdk.send(
      new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'cat', Limit: 60 }),
    );
    expect(admin.Devices).toHaveLength(2);
  });

  it('Admin* device operations: unknown pool, user and device', async () => {
    const key = 'us-east-1_22222222-2222-2222-2222-222222222222';
    const missingPool = 'us-east-1_nopool000';
    await rejects(
      idp.sdk.send(new AdminGetDeviceCommand({ UserPoolId: missingPool, Username: 'ada', DeviceKey: key })),
      'ResourceNotFoundException',
      /pool/i,
    );
    await rejects(
      idp.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'nobody' })),
      'UserNotFoundException',
      /^User does not exist\.$/,
    );
    for (const cmd of [
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'ada', DeviceKey: key }),
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: poolId,
        Username: 'ada',
        DeviceKey: key,
        DeviceRememberedStatus: 'remembered',
      }),
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'ada', DeviceKey: key }),
    ]) {
      await rejects(idp.sdk.send(cmd as never), 'ResourceNotFoundException', /^Device does not exist\.$/);
    }
  });

  it('authenticates a confirmed device over SRP; a stale DEVICE_KEY leaves the challenge answerable without it', async () => {
    const { access, device } = await signInNewDevice('bob');
    await confirm(access, device);
    const srpSignIn = async (deviceKey: string | undefined) => {
      const srp = new SrpClient(poolId);
      const start = await idp.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: 'bob', SRP_A: srp.A },
        }),
      );
      const answer = srp.answer(start.ChallengeParameters as Record<string, string>, PASSWORD, clock.now());
      return { answer: deviceKey ? { ...answer, DEVICE_KEY: deviceKey } : answer, plain: answer };
    };
    // A device the user does not have: "Device does not exist.", and the same challenge then works without it.
    const stale = await srpSignIn('us-east-1_33333333-3333-3333-3333-333333333333');
    const respond = (responses: Record<string, string>) =>
      idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: responses,
        }),
      );
    await rejects(respond(stale.answer), 'ResourceNotFoundException', /^Device does not exist\.$/);
    expect((await respond(stale.plain)).AuthenticationResult?.NewDeviceMetadata).toBeDefined();

    // The real device: DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER.
    const known = await srpSignIn(device.deviceKey);
    const step = await respond(known.answer);
    expect(step).toMatchObject({
      ChallengeName: 'DEVICE_SRP_AUTH',
      ChallengeParameters: { USERNAME: 'bob' },
    });
    const deviceStep = (
      name: 'DEVICE_SRP_AUTH' | 'DEVICE_PASSWORD_VERIFIER',
      session: string | undefined,
      responses: Record<string, string>,
    ) =>
      idp.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: name,
          Session: session,
          ChallengeResponses: responses,
        }),
      );
    await rejects(
      deviceStep('DEVICE_SRP_AUTH', 'a'.repeat(40), device.start('bob')),
      'NotAuthorizedException',
      /^Invalid session/,
    );
    const verifier = await deviceStep('DEVICE_SRP_AUTH', step.Session, device.start('bob'));
    expect(verifier).toMatchObject({
      ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
      ChallengeParameters: { USERNAME: 'bob', DEVICE_KEY: device.deviceKey },
    });
    const params = verifier.ChallengeParameters as Record<string, string>;
    // A wrong device secret is refused, and the session is spent.
    await rejects(
      deviceStep(
        'DEVICE_PASSWORD_VERIFIER',
        verifier.Session,
        device.answer(params, clock.now(), 'wrong-secret'),
      ),
      'NotAuthorizedException',
      /^Incorrect username or password\.$/,
    );
    const again = await respond((await srpSignIn(device.deviceKey)).answer);
    const v2 = await deviceStep('DEVICE_SRP_AUTH', again.Session, device.start('bob'));
    const done = await deviceStep(
      'DEVICE_PASSWORD_VERIFIER',
      v2.Session,
      device.answer(v2.ChallengeParameters as Record<string, string>, clock.now()),
    );
    expect(done.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(decodeJwt(done.AuthenticationResult?.AccessToken as string).device_key).toBe(device.deviceKey);
  });

  it('keeps devices across global sign-out, and deletes them with their user', async () => {
    await user('dan');
    const { access, device } = await signInNewDevice('dan');
    await confirm(access, device);
    await idp.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'dan' }));
    const kept = await idp.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dan' }));
    expect(kept.Devices?.map((d) => d.DeviceKey)).toEqual([device.deviceKey]);
    await idp.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'dan' }));
    await user('dan');
    const after = await idp.sdk.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dan' }));
    expect(after.Devices).toEqual([]);
    await rejects(
      idp.sdk.send(
        new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'dan', DeviceKey: device.deviceKey }),
      ),
      'ResourceNotFoundException',
      /^Device does not exist\.$/,
    );
  });
});
