import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminEnableUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('lets a disabled user sign in again', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'e@example.com');
    await h.call('AdminDisableUser', { UserPoolId: poolId, Username: 'e@example.com' });
    await h.call('AdminEnableUser', { UserPoolId: poolId, Username: 'e@example.com' });
    expect((await h.signIn(clientId, 'e@example.com')).AccessToken).toBeTruthy();
    expect(
      (await errorOf(h.call('AdminEnableUser', { UserPoolId: poolId, Username: 'none@example.com' }))).code,
    ).toBe('UserNotFoundException');
  });
});
