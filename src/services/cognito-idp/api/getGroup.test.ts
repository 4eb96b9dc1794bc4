import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('GetGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('gets a group and reports a missing one', async () => {
    const { poolId } = await h.setup();
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'readers', Precedence: 3 });
    expect(
      (
        await h.call<{ Group: { Precedence: number } }>('GetGroup', {
          UserPoolId: poolId,
          GroupName: 'readers',
        })
      ).Group.Precedence,
    ).toBe(3);
    expect(await errorOf(h.call('GetGroup', { UserPoolId: poolId, GroupName: 'writers' }))).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
  });
});
