import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminAddUserToGroup', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('adds the user (idempotently) and the group shows in cognito:groups ordered by precedence', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'g@example.com');
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'zeta', Precedence: 1 });
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'alpha', Precedence: 2 });
    for (const g of ['alpha', 'zeta', 'zeta'])
      await h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'g@example.com', GroupName: g });
    const { IdToken } = await h.signIn(clientId, 'g@example.com');
    expect(decodeJwt(IdToken)['cognito:groups']).toEqual(['zeta', 'alpha']);
  });

  it('reports a missing group or user', async () => {
    const { poolId, clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'u@example.com');
    expect(
      await errorOf(
        h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'u@example.com', GroupName: 'none' }),
      ),
    ).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    await h.call('CreateGroup', { UserPoolId: poolId, GroupName: 'g' });
    expect(
      (
        await errorOf(
          h.call('AdminAddUserToGroup', { UserPoolId: poolId, Username: 'x@example.com', GroupName: 'g' }),
        )
      ).code,
    ).toBe('UserNotFoundException');
  });
});
