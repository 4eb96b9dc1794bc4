import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('ConfirmSignUp', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('confirms with the code and marks the email verified', async () => {
    const { clientId, poolId, hash } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'c@example.com');
    const user = h.stores.idp.users.bySub(poolId, sub);
    expect(user?.status).toBe('CONFIRMED');
    expect(user?.attributes.email_verified).toBe('true');
  });

  it('hides unknown users behind CodeMismatchException when PreventUserExistenceErrors is ENABLED', async () => {
    const legacy = await h.setup();
    expect(
      await errorOf(
        h.call('ConfirmSignUp', {
          ClientId: legacy.clientId,
          Username: 'no@example.com',
          ConfirmationCode: '123456',
        }),
      ),
    ).toMatchObject({ code: 'UserNotFoundException', message: 'Username/client id combination not found.' });
    const hidden = await h.setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    expect(
      await errorOf(
        h.call('ConfirmSignUp', {
          ClientId: hidden.clientId,
          Username: 'no@example.com',
          ConfirmationCode: '123456',
        }),
      ),
    ).toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
  });

  it('refuses an alias email already verified by another user unless ForceAliasCreation', async () => {
    const { clientId, poolId } = await h.setup({
      pool: { UsernameAttributes: undefined, AliasAttributes: ['email'] },
    });
    for (const u of ['first', 'second']) {
      await h.call('SignUp', {
        ClientId: clientId,
        Username: u,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'same@example.com' }],
      });
    }
    const codes = h.sent.map((m) => /\d{6}/.exec(m.text)?.[0]);
    await h.call('ConfirmSignUp', { ClientId: clientId, Username: 'first', ConfirmationCode: codes[0] });
    expect(
      await errorOf(
        h.call('ConfirmSignUp', { ClientId: clientId, Username: 'second', ConfirmationCode: codes[1] }),
      ),
    ).toMatchObject({
      code: 'AliasExistsException',
      message: 'An account with the email already exists.',
    });
    // That code is used up; confirming with a new one and ForceAliasCreation moves the alias to this user.
    await h.call('ResendConfirmationCode', { ClientId: clientId, Username: 'second' });
    await h.call('ConfirmSignUp', {
      ClientId: clientId,
      Username: 'second',
      ConfirmationCode: h.code('same@example.com'),
      ForceAliasCreation: true,
    });
    expect(h.stores.idp.users.get(poolId, 'first')?.attributes.email_verified).toBe('false');
  });
});
