import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

describe('RevokeToken', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('revokes the refresh token and the access tokens minted from it, but not other sessions', async () => {
    const { clientId, hash, secret } = await h.setup({ client: { GenerateSecret: true } });
    await h.confirmedUser(clientId, hash, 'r@example.com');
    const a = await h.signIn(clientId, 'r@example.com', PASSWORD, hash('r@example.com'));
    const b = await h.signIn(clientId, 'r@example.com', PASSWORD, hash('r@example.com'));
    expect(await errorOf(h.call('RevokeToken', { ClientId: clientId, Token: a.RefreshToken }))).toMatchObject(
      {
        code: 'NotAuthorizedException',
        message: 'Client secret mismatch.',
      },
    );
    await h.call('RevokeToken', { ClientId: clientId, ClientSecret: secret, Token: a.RefreshToken });
    expect(await errorOf(h.call('GetUser', { AccessToken: a.AccessToken }))).toMatchObject({
      message: 'Access Token has been revoked',
    });
    await h.call('GetUser', { AccessToken: b.AccessToken });
    // Unknown and already-revoked tokens succeed, as RFC 7009 asks.
    await h.call('RevokeToken', { ClientId: clientId, ClientSecret: secret, Token: a.RefreshToken });
    await h.call('RevokeToken', { ClientId: clientId, ClientSecret: secret, Token: 'unknown' });
  });

  it('refuses when token revocation is disabled for the client', async () => {
    const { clientId, hash } = await h.setup({ client: { EnableTokenRevocation: false } });
    await h.confirmedUser(clientId, hash, 'n@example.com');
    const t = await h.signIn(clientId, 'n@example.com');
    expect((await errorOf(h.call('RevokeToken', { ClientId: clientId, Token: t.RefreshToken }))).code).toBe(
      'UnsupportedOperationException',
    );
  });
});
