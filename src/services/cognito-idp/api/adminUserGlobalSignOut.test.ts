import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminUserGlobalSignOut', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it("revokes all of a user's sessions and no one else's", async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'a@example.com');
    await h.confirmedUser(clientId, hash, 'b@example.com');
    const a = await h.signIn(clientId, 'a@example.com');
    const b = await h.signIn(clientId, 'b@example.com');
    await h.call('AdminUserGlobalSignOut', { UserPoolId: poolId, Username: 'a@example.com' });
    expect(await errorOf(h.call('GetUser', { AccessToken: a.AccessToken }))).toMatchObject({
      message: 'Access Token has been revoked',
    });
    await h.call('GetUser', { AccessToken: b.AccessToken });
  });
});
