import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('ConfirmForgotPassword', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('sets the new password with the code, once', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'c@example.com');
    await h.call('ForgotPassword', { ClientId: clientId, Username: 'c@example.com' });
    const code = h.code('c@example.com');
    await h.call('ConfirmForgotPassword', {
      ClientId: clientId,
      Username: 'c@example.com',
      ConfirmationCode: code,
      Password: 'Brand-N3w-Pass!',
    });
    expect((await h.signIn(clientId, 'c@example.com', 'Brand-N3w-Pass!')).AccessToken).toBeTruthy();
    expect(
      await errorOf(
        h.call('ConfirmForgotPassword', {
          ClientId: clientId,
          Username: 'c@example.com',
          ConfirmationCode: code,
          Password: 'Other-N3w-Pass!',
        }),
      ),
    ).toMatchObject({
      code: 'ExpiredCodeException',
      message: 'Invalid code provided, please request a code again.',
    });
  });

  it('checks the new password against the policy without using up the code', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'p@example.com');
    await h.call('ForgotPassword', { ClientId: clientId, Username: 'p@example.com' });
    const code = h.code('p@example.com');
    expect(
      (
        await errorOf(
          h.call('ConfirmForgotPassword', {
            ClientId: clientId,
            Username: 'p@example.com',
            ConfirmationCode: code,
            Password: 'weak',
          }),
        )
      ).code,
    ).toBe('InvalidPasswordException');
    await h.call('ConfirmForgotPassword', {
      ClientId: clientId,
      Username: 'p@example.com',
      ConfirmationCode: code,
      Password: 'Str0ng-Pass!',
    });
  });

  it('answers CodeMismatchException for unknown users when existence errors are prevented', async () => {
    const { clientId } = await h.setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    expect(
      await errorOf(
        h.call('ConfirmForgotPassword', {
          ClientId: clientId,
          Username: 'x@example.com',
          ConfirmationCode: '123456',
          Password: PASSWORD,
        }),
      ),
    ).toMatchObject({
      code: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
  });
});
