import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('ListGroups', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('lists groups by name in pages', async () => {
    const { poolId } = await h.setup();
    for (const g of ['c', 'a', 'b']) await h.call('CreateGroup', { UserPoolId: poolId, GroupName: g });
    const first = await h.call<{ Groups: { GroupName: string }[]; NextToken?: string }>('ListGroups', {
      UserPoolId: poolId,
      Limit: 2,
    });
    const second = await h.call<{ Groups: { GroupName: string }[]; NextToken?: string }>('ListGroups', {
      UserPoolId: poolId,
      Limit: 2,
      NextToken: first.NextToken,
    });
    expect([...first.Groups, ...second.Groups].map((g) => g.GroupName)).toEqual(['a', 'b', 'c']);
    expect(second.NextToken).toBeUndefined();
  });
});
