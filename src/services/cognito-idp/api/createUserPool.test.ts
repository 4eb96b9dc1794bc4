import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('CreateUserPool', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('creates a pool with a Cognito-format id, two signing keys and the default password policy', async () => {
    const res = await h.call<{
      UserPool: { Id: string; Name: string; Policies: { PasswordPolicy: Record<string, unknown> } };
    }>('CreateUserPool', { PoolName: 'mine' });
    expect(res.UserPool.Id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(res.UserPool.Name).toBe('mine');
    expect(res.UserPool.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 8, RequireSymbols: true });
    const keys = h.stores.idp.pools.listKeys(res.UserPool.Id);
    expect(keys.map((k) => k.use).sort()).toEqual(['access', 'id']);
  });

  it('refuses both alias and username attributes', async () => {
    const err = await errorOf(
      h.call('CreateUserPool', { PoolName: 'x', UsernameAttributes: ['email'], AliasAttributes: ['email'] }),
    );
    expect(err).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool',
    });
  });

  it('requires a pool name', async () => {
    const err = await errorOf(h.call('CreateUserPool', {}));
    expect(err.code).toBe('InvalidParameterException');
    expect(err.message).toContain(
      "Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    );
  });
});
