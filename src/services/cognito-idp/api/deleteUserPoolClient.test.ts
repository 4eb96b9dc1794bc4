import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('DeleteUserPoolClient', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('deletes the client so it can no longer sign users in', async () => {
    const { poolId, clientId } = await h.setup();
    await h.call('DeleteUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
    expect(
      await errorOf(h.call('SignUp', { ClientId: clientId, Username: 'a@example.com', Password: PASSWORD })),
    ).toMatchObject({
      code: 'ResourceNotFoundException',
      message: `User pool client ${clientId} does not exist.`,
    });
  });
});
