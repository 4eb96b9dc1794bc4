import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('DeleteUserPool', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('deletes the pool with its clients and users', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'gone@example.com');
    await h.call('DeleteUserPool', { UserPoolId: poolId });
    expect(h.stores.idp.clients.get(clientId)).toBeUndefined();
    expect(h.stores.idp.users.count(poolId)).toBe(0);
  });

  it('refuses while deletion protection is active', async () => {
    const { poolId } = await h.setup({ pool: { DeletionProtection: 'ACTIVE' } });
    expect(await errorOf(h.call('DeleteUserPool', { UserPoolId: poolId }))).toMatchObject({
      code: 'InvalidParameterException',
      message: 'The user pool cannot be deleted because deletion protection is activated.',
    });
  });
});
