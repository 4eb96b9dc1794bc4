import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('UpdateUserAttributes', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('updates attributes and sends a code when the email changes', async () => {
    const { clientId, hash, poolId } = await h.setup({
      pool: { Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }] },
    });
    const sub = await h.confirmedUser(clientId, hash, 'u@example.com');
    const { AccessToken } = await h.signIn(clientId, 'u@example.com');
    const res = await h.call<{ CodeDeliveryDetailsList?: unknown[] }>('UpdateUserAttributes', {
      AccessToken,
      UserAttributes: [
        { Name: 'custom:team', Value: 'blue' },
        { Name: 'email', Value: 'new@example.com' },
      ],
    });
    expect(res.CodeDeliveryDetailsList).toHaveLength(1);
    const user = h.stores.idp.users.bySub(poolId, sub);
    expect(user?.attributes).toMatchObject({
      'custom:team': 'blue',
      email: 'new@example.com',
      email_verified: 'false',
    });
    expect(h.code('new@example.com')).toMatch(/^\d{6}$/);
  });

  it('refuses attributes the client may not write and malformed emails', async () => {
    const { clientId, hash } = await h.setup({ client: { WriteAttributes: ['name', 'email'] } });
    await h.confirmedUser(clientId, hash, 'w@example.com');
    const { AccessToken } = await h.signIn(clientId, 'w@example.com');
    const write = (Name: string, Value: string) =>
      errorOf(h.call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name, Value }] }));
    expect(await write('family_name', 'x')).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    expect(await write('email', 'not-an-email')).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid email address format.',
    });
  });

  it('refuses an email that belongs to another user of an email-username pool', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'one@example.com');
    await h.confirmedUser(clientId, hash, 'two@example.com');
    const { AccessToken } = await h.signIn(clientId, 'two@example.com');
    expect(
      await errorOf(
        h.call('UpdateUserAttributes', {
          AccessToken,
          UserAttributes: [{ Name: 'email', Value: 'one@example.com' }],
        }),
      ),
    ).toMatchObject({
      code: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
  });
});
