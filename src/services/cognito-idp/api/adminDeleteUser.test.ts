import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminDeleteUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('deletes the user, their codes and memberships', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'd@example.com');
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'g' });
    await h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'd@example.com', GroupName: 'g' });
    await h.call('AdminDeleteUser', { UserPoolId: poolId, Username: 'd@example.com' });
    const members = await h.call<{ Users: unknown[] }>('ListUsersInGroup', {
      UserPoolId: poolId,
      GroupName: 'g',
    });
    expect(members.Users).toEqual([]);
    expect(
      (await errorOf(h.call('AdminDeleteUser', { UserPoolId: poolId, Username: 'd@example.com' }))).code,
    ).toBe('UserNotFoundException');
  });
});
