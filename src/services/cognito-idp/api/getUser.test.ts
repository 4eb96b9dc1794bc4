import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('GetUser', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('returns the token owner and attributes', async () => {
    const { clientId, hash } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 'g@example.com');
    const { AccessToken } = await h.signIn(clientId, 'g@example.com');
    const res = await h.call<{ Username: string; UserAttributes: { Name: string; Value: string }[] }>(
      'GetUser',
      { AccessToken },
    );
    expect(res.Username).toBe(sub);
    expect(res.UserAttributes[0]).toEqual({ Name: 'sub', Value: sub });
  });

  it('refuses an id token, a token signed by another key, and a token without the admin scope', async () => {
    const { clientId, hash, poolId } = await h.setup();
    await h.confirmedUser(clientId, hash, 'x@example.com');
    const { IdToken, AccessToken } = await h.signIn(clientId, 'x@example.com');
    expect(await errorOf(h.call('GetUser', { AccessToken: IdToken }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    const { privateKey } = await generateKeyPair('RS256');
    const header = JSON.parse(Buffer.from(AccessToken.split('.')[0] as string, 'base64url').toString());
    const forged = await new SignJWT(decodeJwt(AccessToken)).setProtectedHeader(header).sign(privateKey);
    expect(await errorOf(h.call('GetUser', { AccessToken: forged }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    // An OAuth token without aws.cognito.signin.user.admin (as the Hosted UI mints them).
    const pool = h.service.pool(poolId);
    const client = h.service.client(clientId);
    const user = h.service.findUser(pool, 'x@example.com');
    const issued = await h.service.tokens.issue({
      pool,
      client,
      user: user as NonNullable<typeof user>,
      scopes: ['openid', 'email'],
      withRefreshToken: false,
      apiFlow: false,
      triggerSource: 'TokenGeneration_HostedAuth',
    });
    expect(await errorOf(h.call('GetUser', { AccessToken: issued.accessToken }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });

  it('only shows the attributes the client may read', async () => {
    const { clientId, hash } = await h.setup({ client: { ReadAttributes: ['email'] } });
    await h.confirmedUser(clientId, hash, 'r@example.com');
    const { AccessToken, IdToken } = await h.signIn(clientId, 'r@example.com');
    const res = await h.call<{ UserAttributes: { Name: string }[] }>('GetUser', { AccessToken });
    expect(res.UserAttributes.map((a) => a.Name).sort()).toEqual(['email', 'sub']);
    expect(decodeJwt(IdToken).email_verified).toBeUndefined();
  });
});
