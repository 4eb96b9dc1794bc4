import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminRemoveUserFromGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('removes the membership from later tokens', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'r@example.com');
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'g' });
    await h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'r@example.com', GroupName: 'g' });
    await h.call('AdminRemoveUserFromGroup', {
      UserPoolId: poolId,
      Username: 'r@example.com',
      GroupName: 'g',
    });
    const { AccessToken } = await h.signIn(clientId, 'r@example.com');
    expect(decodeJwt(AccessToken)['cognito:groups']).toBeUndefined();
    expect(
      (
        await errorOf(
          h.call('AdminRemoveUserFromGroup', {
            UserPoolId: poolId,
            Username: 'r@example.com',
            GroupName: 'none',
          }),
        )
      ).code,
    ).toBe('ResourceNotFoundException');
  });
});
