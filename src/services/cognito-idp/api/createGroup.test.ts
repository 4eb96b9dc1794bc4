import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('CreateGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('creates a group with its description, role and precedence', async () => {
    const { poolId } = await h.setup();
    const res = await h.call<{ Group: Record<string, unknown> }>('CreateGroup', {
      UserPoolId: poolId,
      GroupName: 'admins',
      Description: 'People who can',
      RoleArn: 'arn:aws:iam::000000000000:role/admins',
      Precedence: 0,
    });
    expect(res.Group).toMatchObject({
      GroupName: 'admins',
      UserPoolId: poolId,
      Description: 'People who can',
      Precedence: 0,
    });
  });

  it('refuses a duplicate name', async () => {
    const { poolId } = await h.setup();
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'dup' });
    expect(await errorOf(h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'dup' }))).toMatchObject({
      code: 'GroupExistsException',
      message: 'A group with the name dup already exists.',
    });
  });
});
