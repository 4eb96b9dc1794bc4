import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('ListUserPoolClients', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('lists the pool clients in pages', async () => {
    const { poolId } = await h.setup();
    await h.call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'second' });
    const first = await h.call<{ UserPoolClients: { ClientName: string }[]; NextToken?: string }>(
      'ListUserPoolClients',
      {
        UserPoolId: poolId,
        MaxResults: 1,
      },
    );
    expect(first.UserPoolClients).toHaveLength(1);
    const second = await h.call<{ UserPoolClients: { ClientName: string }[]; NextToken?: string }>(
      'ListUserPoolClients',
      {
        UserPoolId: poolId,
        MaxResults: 1,
        NextToken: first.NextToken,
      },
    );
    expect([...first.UserPoolClients, ...second.UserPoolClients].map((c) => c.ClientName).sort()).toEqual([
      'second',
      'unit',
    ]);
    expect(second.NextToken).toBeUndefined();
  });
});
