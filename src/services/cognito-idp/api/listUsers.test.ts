import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';
import { parseFilter } from '../service/index.js';

describe('ListUsers', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('filters by exact value and prefix, and pages with PaginationToken', async () => {
    const { poolId } = await h.setup({ pool: { UsernameAttributes: undefined } });
    for (const n of ['anna', 'anne', 'bob']) {
      await h.call('AdminCreateUser', {
        UserPoolId: poolId,
        Username: n,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'given_name', Value: n.toUpperCase() }],
      });
    }
    const ann = await h.call<{ Users: { Username: string }[] }>('ListUsers', {
      UserPoolId: poolId,
      Filter: 'username ^= "ann"',
    });
    expect(ann.Users.map((u) => u.Username)).toEqual(['anna', 'anne']);
    const bob = await h.call<{ Users: { Username: string }[] }>('ListUsers', {
      UserPoolId: poolId,
      Filter: 'given_name = "BOB"',
    });
    expect(bob.Users.map((u) => u.Username)).toEqual(['bob']);
    const page1 = await h.call<{ Users: { Username: string }[]; PaginationToken?: string }>('ListUsers', {
      UserPoolId: poolId,
      Limit: 2,
    });
    const page2 = await h.call<{ Users: { Username: string }[]; PaginationToken?: string }>('ListUsers', {
      UserPoolId: poolId,
      Limit: 2,
      PaginationToken: page1.PaginationToken,
    });
    expect([...page1.Users, ...page2.Users].map((u) => u.Username)).toEqual(['anna', 'anne', 'bob']);
  });

  it('returns only AttributesToGet', async () => {
    const { poolId } = await h.setup();
    await h.call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: 'x@example.com',
      MessageAction: 'SUPPRESS',
    });
    const res = await h.call<{ Users: { Attributes: { Name: string }[] }[] }>('ListUsers', {
      UserPoolId: poolId,
      AttributesToGet: ['email'],
    });
    expect(res.Users[0]?.Attributes.map((a) => a.Name)).toEqual(['email']);
  });

  it('rejects malformed filters and foreign pagination tokens', async () => {
    const { poolId } = await h.setup();
    expect(
      await errorOf(h.call('ListUsers', { UserPoolId: poolId, Filter: 'email contains "x"' })),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Error while parsing filter.',
    });
    expect((await errorOf(h.call('ListUsers', { UserPoolId: poolId, PaginationToken: '!!' }))).code).toBe(
      'InvalidParameterException',
    );
  });

  it('parses escaped quotes in filter values', () => {
    const match = parseFilter('name = "say \\"hi\\""');
    expect(match({ attributes: { name: 'say "hi"' } } as never)).toBe(true);
  });
});
