import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('DeleteUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('deletes the token owner and ends their tokens', async () => {
    const { clientId, hash, poolId } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'd@example.com');
    const { AccessToken } = await h.signIn(clientId, 'd@example.com');
    await h.call('DeleteUser', { AccessToken });
    expect(h.stores.idp.users.bySub(poolId, sub)).toBeUndefined();
    expect(await errorOf(h.call('GetUser', { AccessToken }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });
});
