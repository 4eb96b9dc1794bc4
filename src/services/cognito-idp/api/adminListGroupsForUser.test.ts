import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminListGroupsForUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it("lists a user's groups in pages", async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'l@example.com');
    for (const g of ['a', 'b', 'c']) {
      await h.call('CreateGroup', { UserPoolId: poolId, GroupName: g });
      await h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'l@example.com', GroupName: g });
    }
    const first = await h.call<{ Groups: { GroupName: string }[]; NextToken?: string }>(
      'AdminListGroupsForUser',
      {
        UserPoolId: poolId,
        Username: 'l@example.com',
        Limit: 2,
      },
    );
    const second = await h.call<{ Groups: { GroupName: string }[]; NextToken?: string }>(
      'AdminListGroupsForUser',
      {
        UserPoolId: poolId,
        Username: 'l@example.com',
        Limit: 2,
        NextToken: first.NextToken,
      },
    );
    expect([...first.Groups, ...second.Groups].map((g) => g.GroupName)).toEqual(['a', 'b', 'c']);
  });
});
