import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('DescribeUserPool', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('describes the schema with custom attributes prefixed and the user estimate', async () => {
    const { poolId, clientId, hash } = await h.setup({
      pool: { Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }] },
    });
    await h.confirmedUser(clientId, hash, 'one@example.com');
    const res = await h.call<{
      UserPool: { SchemaAttributes: { Name: string }[]; EstimatedNumberOfUsers: number; Arn: string };
    }>('DescribeUserPool', { UserPoolId: poolId });
    expect(res.UserPool.SchemaAttributes.map((a) => a.Name)).toContain('custom:tenant');
    expect(res.UserPool.EstimatedNumberOfUsers).toBe(1);
    expect(res.UserPool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`);
  });

  it('reports an unknown pool', async () => {
    expect(await errorOf(h.call('DescribeUserPool', { UserPoolId: 'us-east-1_missing00' }))).toMatchObject({
      code: 'ResourceNotFoundException',
      message: 'User pool us-east-1_missing00 does not exist.',
    });
  });
});
