import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../test/helpers/idpService.js';
import { type CognitoInternal, cognitoInternal } from './internal.js';

const POOL = 'us-east-1_Stack0Pool';
const CLIENT = 'stackclient0000000000000001';

describe('cognitoInternal (the CloudFormation engine’s Cognito operations)', () => {
  let h: ServiceHarness;
  let c: CognitoInternal;
  beforeEach(() => {
    h = serviceHarness();
    c = cognitoInternal(h.service);
  });
  afterEach(() => h.close());

  it('creates a pool and a client with the given ids, and updates them in place keeping the secret', async () => {
    await c.putUserPool(POOL, { PoolName: 'stack-pool', UsernameAttributes: ['email'] });
    c.putUserPoolClient(POOL, CLIENT, {
      ClientName: 'web',
      GenerateSecret: true,
      CallbackURLs: ['http://a/cb'],
    });
    const first = await h.call<{ UserPoolClient: { ClientSecret: string } }>('DescribeUserPoolClient', {
      UserPoolId: POOL,
      ClientId: CLIENT,
    });
    expect(first.UserPoolClient.ClientSecret).toMatch(/^[a-z0-9]+$/);
    c.putUserPoolClient(POOL, CLIENT, {
      ClientName: 'web',
      GenerateSecret: true,
      CallbackURLs: ['http://b/cb'],
    });
    const second = await h.call<{ UserPoolClient: { ClientSecret: string; CallbackURLs: string[] } }>(
      'DescribeUserPoolClient',
      { UserPoolId: POOL, ClientId: CLIENT },
    );
    expect(second.UserPoolClient.ClientSecret).toBe(first.UserPoolClient.ClientSecret);
    expect(second.UserPoolClient.CallbackURLs).toEqual(['http://b/cb']);
    expect(c.has('pool', POOL)).toBe(true);
    expect(c.has('client', POOL, CLIENT)).toBe(true);
  });

  it('refuses a client id that belongs to another pool, and a pool without a name, with Cognito errors', async () => {
    await c.putUserPool(POOL, { PoolName: 'a' });
    const { poolId } = await h.setup();
    c.putUserPoolClient(POOL, CLIENT, { ClientName: 'web' });
    expect(() => c.putUserPoolClient(poolId, CLIENT, { ClientName: 'web' })).toThrow(/another user pool/);
    await expect(c.putUserPool('us-east-1_NoName', {})).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('gives a pool one Hosted UI domain: a custom domain only while there is no prefix domain', async () => {
    await c.putUserPool(POOL, { PoolName: 'a' });
    c.putUserPoolDomain(POOL, 'auth.example.com', true);
    expect(h.service.pools.domainOf(POOL)).toBe('auth.example.com');
    c.putUserPoolDomain(POOL, 'my-prefix', false);
    expect(h.service.pools.domainOf(POOL)).toBe('my-prefix');
    expect(c.has('domain', POOL, 'auth.example.com')).toBe(false);
    c.putUserPoolDomain(POOL, 'other.example.com', true);
    expect(h.service.pools.domainOf(POOL)).toBe('my-prefix');
    const { poolId } = await h.setup();
    expect(() => c.putUserPoolDomain(poolId, 'my-prefix', false)).toThrow(/another user pool/);
    c.deleteUserPoolDomain(POOL, 'my-prefix');
    expect(h.service.pools.domainOf(POOL)).toBeUndefined();
  });

  it('creates, finds and deletes groups, resource servers and branding; deletes of what is gone are no-ops', async () => {
    await c.putUserPool(POOL, { PoolName: 'a' });
    c.putUserPoolClient(POOL, CLIENT, { ClientName: 'web' });
    c.putGroup(POOL, { GroupName: 'admins', Precedence: 2 });
    c.putResourceServer(POOL, { Identifier: 'api', Name: 'api', Scopes: [] });
    c.putUserPoolDomain(POOL, 'look', false);
    c.setUICustomization(POOL, CLIENT, '.banner-customizable { background-color: red; }');
    const style = c.putManagedLoginBranding(POOL, CLIENT, { UseCognitoProvidedValues: true });
    for (const [kind, id] of [
      ['group', 'admins'],
      ['resourceServer', 'api'],
      ['uiCustomization', CLIENT],
      ['managedLoginBranding', CLIENT],
    ] as const)
      expect(c.has(kind, POOL, id)).toBe(true);
    expect(style).toMatch(/\S/);
    c.deleteManagedLoginBranding(POOL, CLIENT);
    c.deleteGroup(POOL, 'admins');
    c.deleteResourceServer(POOL, 'api');
    expect(c.has('managedLoginBranding', POOL, CLIENT)).toBe(false);
    expect(c.has('group', POOL, 'admins')).toBe(false);
    expect(c.has('resourceServer', POOL, 'api')).toBe(false);
    c.deleteUserPool(POOL);
    expect(c.has('pool', POOL)).toBe(false);
    c.deleteUserPool(POOL);
    c.deleteUserPoolClient(POOL, CLIENT);
    c.deleteGroup(POOL, 'admins');
    expect(await errorOf(h.call('DescribeUserPool', { UserPoolId: POOL }))).toMatchObject({
      code: 'ResourceNotFoundException',
    });
  });
});
