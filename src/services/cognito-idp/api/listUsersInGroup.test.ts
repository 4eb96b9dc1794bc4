import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('ListUsersInGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('lists the members of a group only', async () => {
    const { poolId, clientId, hash } = await h.setup();
    const inSub = await h.confirmedUser(clientId, hash, 'in@example.com');
    await h.confirmedUser(clientId, hash, 'out@example.com');
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'club' });
    await h.call('AdminAddUserToGroup', {
      UserPoolId: poolId,
      Username: 'in@example.com',
      GroupName: 'club',
    });
    const res = await h.call<{ Users: { Username: string }[] }>('ListUsersInGroup', {
      UserPoolId: poolId,
      GroupName: 'club',
    });
    expect(res.Users.map((u) => u.Username)).toEqual([inSub]);
    expect((await errorOf(h.call('ListUsersInGroup', { UserPoolId: poolId, GroupName: 'none' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });
});
