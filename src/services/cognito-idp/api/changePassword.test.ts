import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('ChangePassword', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('changes the password when the previous one is right', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'c@example.com');
    const { AccessToken } = await h.signIn(clientId, 'c@example.com');
    await h.call('ChangePassword', {
      AccessToken,
      PreviousPassword: PASSWORD,
      ProposedPassword: 'Chang3d-Pass!',
    });
    expect(await errorOf(h.signIn(clientId, 'c@example.com'))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect((await h.signIn(clientId, 'c@example.com', 'Chang3d-Pass!')).AccessToken).toBeTruthy();
  });

  it('refuses a wrong previous password and an invalid token', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'w@example.com');
    const { AccessToken } = await h.signIn(clientId, 'w@example.com');
    expect(
      await errorOf(
        h.call('ChangePassword', {
          AccessToken,
          PreviousPassword: 'Wr0ng-Pass!',
          ProposedPassword: 'Chang3d-Pass!',
        }),
      ),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(
      await errorOf(
        h.call('ChangePassword', {
          AccessToken: 'e30.e30.e30',
          PreviousPassword: PASSWORD,
          ProposedPassword: 'Chang3d-Pass!',
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });
});
