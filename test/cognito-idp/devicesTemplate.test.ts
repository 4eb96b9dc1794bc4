import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

const POOL = 'us-east-1_Devices01';

/** A stack's AWS::Cognito::UserPool DeviceConfiguration turns device tracking on, as CreateUserPool's does. */
describe('device tracking from the template', () => {
  let idp: TestIdp;

  beforeAll(async () => {
    const spec: UserPoolSpec = {
      logicalId: 'UserPool',
      id: POOL,
      name: 'devices',
      // CloudFormation may hand booleans over as strings; both count.
      properties: {
        UserPoolName: 'devices',
        DeviceConfiguration: {
          ChallengeRequiredOnNewDevice: 'true',
          DeviceOnlyRememberedOnUserPrompt: false,
        },
      },
      triggers: {},
      clients: [
        {
          logicalId: 'Client',
          id: 'devicesclient0000000000001',
          properties: {
            UserPoolId: POOL,
            ClientName: 'api',
            ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
          },
        },
      ],
      domain: undefined,
      groups: [],
      resourceServers: [],
    };
    idp = await startTestIdp({ topology: { userPools: [spec] } });
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('describes the DeviceConfiguration and returns NewDeviceMetadata on sign-in', async () => {
    const d = await idp.sdk.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
    expect(d.UserPool?.DeviceConfiguration).toEqual({
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: false,
    });
    await idp.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: POOL, Username: 'eve', MessageAction: 'SUPPRESS' }),
    );
    await idp.sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: POOL,
        Username: 'eve',
        Password: 'Template-Passw0rd!',
        Permanent: true,
      }),
    );
    const r = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: POOL,
        ClientId: 'devicesclient0000000000001',
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'eve', PASSWORD: 'Template-Passw0rd!' },
      }),
    );
    expect(r.AuthenticationResult?.NewDeviceMetadata?.DeviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
  });
});
