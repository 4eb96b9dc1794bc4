import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminConfirmSignUpCommand,
  AdminInitiateAuthCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import { secretHash, startTestIdp, type TestIdp } from '../helpers/idp.js';

const spec = (extra: Partial<UserPoolSpec> = {}): UserPoolSpec => ({
  logicalId: 'UserPool',
  id: 'us-east-1_Stack0001',
  name: 'gatehouse-users',
  properties: {
    UserPoolName: 'gatehouse-users',
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } },
    Schema: [{ Name: 'email', Required: true, Mutable: true, AttributeDataType: 'String' }],
  },
  triggers: {},
  clients: [
    {
      logicalId: 'WebClient',
      id: 'abcdefghijklmnopqrstuvwxyz',
      properties: {
        UserPoolId: 'us-east-1_Stack0001',
        ClientName: 'web',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: ['http://localhost:3000/callback'],
        LogoutURLs: ['http://localhost:3000/'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
      },
    },
  ],
  domain: { logicalId: 'Domain', prefix: 'gatehouse-demo' },
  groups: [
    {
      logicalId: 'Admins',
      properties: { GroupName: 'admins', Precedence: 1, UserPoolId: 'us-east-1_Stack0001' },
    },
  ],
  resourceServers: [
    {
      logicalId: 'Api',
      properties: {
        Identifier: 'api',
        Name: 'API',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
        UserPoolId: 'us-east-1_Stack0001',
      },
    },
  ],
  ...extra,
});

describe('provisioning pools from the topology', () => {
  let dataDir: string;
  let idp: TestIdp | undefined;
  afterEach(async () => {
    await idp?.stop();
    idp = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the stack pool, client, group, resource server and domain with the template ids', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-prov-'));
    idp = await startTestIdp({ dataDir, topology: { userPools: [spec()] } });
    const [pool] = idp.pools;
    expect(pool).toMatchObject({
      logicalId: 'UserPool',
      id: 'us-east-1_Stack0001',
      issuer: `${idp.url}/us-east-1_Stack0001`,
      jwksUri: `${idp.url}/us-east-1_Stack0001/.well-known/jwks.json`,
      domain: 'gatehouse-demo',
    });
    expect(pool?.clients[0]).toMatchObject({
      logicalId: 'WebClient',
      id: 'abcdefghijklmnopqrstuvwxyz',
      callbackUrls: ['http://localhost:3000/callback'],
      logoutUrls: ['http://localhost:3000/'],
    });
    expect(pool?.clients[0]?.secret).toMatch(/^[a-z0-9]{51}$/);
    const described = await idp.sdk.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_Stack0001' }));
    expect(described.UserPool?.Domain).toBe('gatehouse-demo');
    expect(described.UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    expect(
      (await idp.sdk.send(new GetGroupCommand({ UserPoolId: 'us-east-1_Stack0001', GroupName: 'admins' })))
        .Group?.Precedence,
    ).toBe(1);
    expect(idp.service.pools.resourceServers('us-east-1_Stack0001')[0]?.scopes).toEqual([
      { ScopeName: 'read', ScopeDescription: 'Read' },
    ]);
    expect(idp.service.pools.poolOfDomain('gatehouse-demo')?.id).toBe('us-east-1_Stack0001');
  });

  it('keeps ids, the secret, users and signing keys across restarts, and applies changed settings', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-prov-'));
    idp = await startTestIdp({ dataDir, topology: { userPools: [spec()] } });
    const secret = idp.pools[0]?.clients[0]?.secret as string;
    const clientId = 'abcdefghijklmnopqrstuvwxyz';
    await idp.sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'keep@example.com',
        Password: 'Keep-Passw0rd',
        SecretHash: secretHash('keep@example.com', clientId, secret),
      }),
    );
    await idp.sdk.send(
      new AdminConfirmSignUpCommand({ UserPoolId: 'us-east-1_Stack0001', Username: 'keep@example.com' }),
    );
    const before = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: 'us-east-1_Stack0001',
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: 'keep@example.com',
          PASSWORD: 'Keep-Passw0rd',
          SECRET_HASH: secretHash('keep@example.com', clientId, secret),
        },
      }),
    );
    const jwksBefore = await (await fetch(idp.urls.jwksUri('us-east-1_Stack0001'))).json();
    await idp.stop();

    const changed = spec();
    (changed.clients[0] as { properties: Record<string, unknown> }).properties.CallbackURLs = [
      'http://localhost:4000/cb',
    ];
    idp = await startTestIdp({ dataDir, topology: { userPools: [changed] } });
    expect(idp.pools[0]?.clients[0]?.secret).toBe(secret);
    expect(idp.pools[0]?.clients[0]?.callbackUrls).toEqual(['http://localhost:4000/cb']);
    const jwksAfter = await (await fetch(idp.urls.jwksUri('us-east-1_Stack0001'))).json();
    expect(jwksAfter).toEqual(jwksBefore);
    // The port changed, and with it the local issuer, so sign in again; the user and password survived.
    const after = await idp.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: 'us-east-1_Stack0001',
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: 'keep@example.com',
          PASSWORD: 'Keep-Passw0rd',
          SECRET_HASH: secretHash('keep@example.com', clientId, secret),
        },
      }),
    );
    expect(
      (
        await idp.sdk.send(
          new GetUserCommand({ AccessToken: after.AuthenticationResult?.AccessToken as string }),
        )
      ).Username,
    ).toBeTruthy();
    expect(before.AuthenticationResult?.AccessToken).not.toBe(after.AuthenticationResult?.AccessToken);
  });

  it('leaves runtime-created clients alone and keeps a dropped secret out of public clients', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-prov-'));
    idp = await startTestIdp({ dataDir, topology: { userPools: [spec()] } });
    const extra = await idp.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_Stack0001', ClientName: 'runtime' }),
    );
    await idp.stop();
    const publicClient = spec();
    (publicClient.clients[0] as { properties: Record<string, unknown> }).properties.GenerateSecret = false;
    idp = await startTestIdp({ dataDir, topology: { userPools: [publicClient] } });
    expect(idp.pools[0]?.clients[0]?.secret).toBeNull();
    const runtime = await idp.sdk.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: 'us-east-1_Stack0001',
        ClientId: extra.UserPoolClient?.ClientId as string,
      }),
    );
    expect(runtime.UserPoolClient?.ClientName).toBe('runtime');
  });
});
