import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('DescribeUserPoolClient', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('shows the secret and settings to the owner', async () => {
    const { poolId, clientId, secret } = await h.setup({
      client: { GenerateSecret: true, CallbackURLs: ['http://localhost/cb'] },
    });
    const res = await h.call<{ UserPoolClient: Record<string, unknown> }>('DescribeUserPoolClient', {
      UserPoolId: poolId,
      ClientId: clientId,
    });
    expect(res.UserPoolClient.ClientSecret).toBe(secret);
    expect(res.UserPoolClient.CallbackURLs).toEqual(['http://localhost/cb']);
  });

  it('does not find a client through another pool', async () => {
    const a = await h.setup();
    const b = await h.setup();
    expect(
      await errorOf(h.call('DescribeUserPoolClient', { UserPoolId: b.poolId, ClientId: a.clientId })),
    ).toMatchObject({
      code: 'ResourceNotFoundException',
      message: `User pool client ${a.clientId} does not exist.`,
    });
  });
});
