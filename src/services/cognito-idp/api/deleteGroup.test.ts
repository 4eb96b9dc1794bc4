import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('DeleteGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it("deletes the group and drops it from members' tokens", async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'm@example.com');
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'temp' });
    await h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'm@example.com', GroupName: 'temp' });
    await h.call('DeleteGroup', { UserPoolId: poolId, GroupName: 'temp' });
    const groups = await h.call<{ Groups: unknown[] }>('AdminListGroupsForUser', {
      UserPoolId: poolId,
      Username: 'm@example.com',
    });
    expect(groups.Groups).toEqual([]);
    expect((await errorOf(h.call('DeleteGroup', { UserPoolId: poolId, GroupName: 'temp' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });
});
