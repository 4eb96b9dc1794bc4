/**
 * A pool's Hosted UI exists only while the pool has a domain, as `https://<prefix>.auth.<region>.amazoncognito.com`
 * exists only between CreateUserPoolDomain and DeleteUserPoolDomain. Driven with SDK v3 against the IdP and fetch
 * against the Hosted UI: 404 before the domain, served after, 404 again once it is deleted.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html
 */
import {
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, type HostedUiCloud, startHostedUiCloud } from './helpers.js';

describe('the Hosted UI of a pool is gated by its domain', () => {
  let cloud: HostedUiCloud;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let webClient: string;
  let m2m: { id: string; secret: string };

  const authorize = () =>
    fetch(
      `${cloud.base}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: webClient,
        redirect_uri: CALLBACK,
        scope: 'openid',
      })}`,
      { redirect: 'manual' },
    );
  const login = () =>
    fetch(
      `${cloud.base}/login?${new URLSearchParams({
        response_type: 'code',
        client_id: webClient,
        redirect_uri: CALLBACK,
        scope: 'openid',
      })}`,
    );
  const token = () =>
    fetch(`${cloud.base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${m2m.id}:${m2m.secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=gate%2Fread',
    });

  beforeAll(async () => {
    cloud = await startHostedUiCloud();
    sdk = new CognitoIdentityProviderClient({
      endpoint: cloud.idp.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: 'gated' }));
    poolId = pool.UserPool?.Id as string;
    await sdk.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'gate',
        Name: 'gate',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
      }),
    );
    const web = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    webClient = web.UserPoolClient?.ClientId as string;
    const machine = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'machine',
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['gate/read'],
      }),
    );
    m2m = {
      id: machine.UserPoolClient?.ClientId as string,
      secret: machine.UserPoolClient?.ClientSecret as string,
    };
  });

  afterAll(async () => {
    sdk?.destroy();
    await cloud?.stop();
  });

  it('answers 404 before CreateUserPoolDomain, serves after it, and 404 again after DeleteUserPoolDomain', async () => {
    // No domain: the pages and the OAuth endpoints are not there for this pool.
    const before = await authorize();
    expect(before.status).toBe(404);
    expect(await before.text()).toContain('CreateUserPoolDomain');
    expect((await login()).status).toBe(404);
    const noToken = await token();
    expect(noToken.status).toBe(404);
    expect(await noToken.json()).toMatchObject({ error: 'invalid_request' });

    await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'gated-pool' }));
    const after = await authorize();
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toContain('/login?');
    expect((await login()).status).toBe(200);
    const issued = await token();
    expect(issued.status).toBe(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    // userInfo answers for a token of this pool's client while the domain exists (this token has no openid
    // scope, so the endpoint itself refuses it; past the gate, that is not a 404).
    const info = await fetch(`${cloud.base}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(info.status).not.toBe(404);

    await sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'gated-pool' }));
    expect((await authorize()).status).toBe(404);
    expect((await login()).status).toBe(404);
    expect((await token()).status).toBe(404);
    const gone = await fetch(`${cloud.base}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(gone.status).toBe(404);
  });

  it('keeps serving the pools that have a domain (the demo pool of the test stack)', async () => {
    const res = await fetch(`${cloud.base}/login?client_id=webclient0000000000000000a&response_type=code`, {
      redirect: 'manual',
    });
    expect(res.status).not.toBe(404);
  });
});
