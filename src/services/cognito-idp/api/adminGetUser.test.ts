import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('AdminGetUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('finds a user by email in an email-username pool and shows status and attributes', async () => {
    const { poolId, clientId, hash } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'g@example.com');
    const res = await h.call<{
      Username: string;
      UserStatus: string;
      Enabled: boolean;
      UserAttributes: { Name: string }[];
    }>('AdminGetUser', {
      UserPoolId: poolId,
      Username: 'g@example.com',
    });
    expect(res).toMatchObject({ Username: sub, UserStatus: 'CONFIRMED', Enabled: true });
    expect(res.UserAttributes.map((a) => a.Name)).toEqual(['sub', 'email', 'email_verified']);
  });

  it('reports an unknown user', async () => {
    const { poolId } = await h.setup();
    expect(
      await errorOf(h.call('AdminGetUser', { UserPoolId: poolId, Username: 'x@example.com' })),
    ).toMatchObject({
      code: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
