import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('ListUserPools', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('pages through pools with NextToken', async () => {
    for (const n of ['a', 'b', 'c']) await h.call('CreateUserPool', { PoolName: n });
    const first = await h.call<{ UserPools: { Name: string }[]; NextToken?: string }>('ListUserPools', {
      MaxResults: 2,
    });
    expect(first.UserPools).toHaveLength(2);
    const second = await h.call<{ UserPools: { Name: string }[]; NextToken?: string }>('ListUserPools', {
      MaxResults: 2,
      NextToken: first.NextToken,
    });
    expect(second.UserPools).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect([...first.UserPools, ...second.UserPools].map((p) => p.Name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('requires MaxResults', async () => {
    expect((await errorOf(h.call('ListUserPools', {}))).code).toBe('InvalidParameterException');
  });
});
