import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';

type Auth = {
  AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken?: string; ExpiresIn: number };
  ChallengeName?: string;
};

describe('InitiateAuth', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('signs in with USER_PASSWORD_AUTH by email and issues Cognito-shaped tokens', async () => {
    const { clientId, hash, poolId } = await h.setup({ client: { GenerateSecret: true } });
    const sub = await h.confirmedUser(clientId, hash, 'a@example.com');
    const res = await h.call<Auth>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'a@example.com', PASSWORD, SECRET_HASH: hash('a@example.com') },
    });
    const access = decodeJwt(res.AuthenticationResult?.AccessToken as string);
    expect(access).toMatchObject({
      sub,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: clientId,
      username: sub,
      iss: `http://127.0.0.1:9229/${poolId}`,
      auth_time: Math.floor(h.clock.now() / 1000),
    });
    expect(access.aud).toBeUndefined();
  });

  it('honours per-client token validities', async () => {
    const { clientId, hash } = await h.setup({
      client: {
        AccessTokenValidity: 10,
        IdTokenValidity: 20,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      },
    });
    await h.confirmedUser(clientId, hash, 'v@example.com');
    const res = await h.call<Auth>('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'v@example.com', PASSWORD },
    });
    expect(res.AuthenticationResult?.ExpiresIn).toBe(600);
    const id = decodeJwt(res.AuthenticationResult?.IdToken as string);
    expect((id.exp as number) - (id.iat as number)).toBe(1200);
  });

  it('answers a generic NotAuthorizedException for unknown users when PreventUserExistenceErrors is ENABLED', async () => {
    const { clientId } = await h.setup({ client: { PreventUserExistenceErrors: 'ENABLED' } });
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'x@example.com', PASSWORD },
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('starts SRP with a PASSWORD_VERIFIER challenge carrying the salt and B', async () => {
    const { clientId, hash } = await h.setup();
    const sub = await h.confirmedUser(clientId, hash, 's@example.com');
    const res = await h.call<{ ChallengeName: string; ChallengeParameters: Record<string, string> }>(
      'InitiateAuth',
      {
        ClientId: clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 's@example.com', SRP_A: 'abc123' },
      },
    );
    expect(res.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(res.ChallengeParameters).toMatchObject({ USERNAME: sub, USER_ID_FOR_SRP: sub });
    expect(res.ChallengeParameters.SRP_B).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(res.ChallengeParameters.SECRET_BLOCK as string, 'base64').length).toBeGreaterThan(32);
  });

  it('refuses an SRP_A that is zero modulo N', async () => {
    const { clientId } = await h.setup();
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: 'a', SRP_A: '0' },
        }),
      ),
    ).toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('refuses flows that are not InitiateAuth flows', async () => {
    const { clientId } = await h.setup();
    expect(
      await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: {},
        }),
      ),
    ).toMatchObject({ code: 'InvalidParameterException', message: 'Initiate Auth method not supported.' });
    expect(
      (await errorOf(h.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'MAGIC', AuthParameters: {} })))
        .message,
    ).toContain('Member must satisfy enum value set');
  });

  it('refuses a refresh token once the RefreshTokenValidity of its client has passed, also after the purge', async () => {
    const { clientId, hash } = await h.setup({
      client: { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } },
    });
    await h.confirmedUser(clientId, hash, 'r@example.com');
    const { RefreshToken } = await h.signIn(clientId, 'r@example.com');
    const refresh = () =>
      h.call<Auth>('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: RefreshToken },
      });
    h.clock.advance(3600_000 - 1000);
    const late = (await refresh()).AuthenticationResult?.AccessToken as string;
    h.clock.advance(2000);
    const expired = { code: 'NotAuthorizedException', message: 'Refresh Token has expired' };
    expect(await errorOf(refresh())).toMatchObject(expired);
    // Regression: the server's periodic purge dropped the sign-in (and with it the refresh token) when the refresh
    // token expired, so the access token minted a second earlier was reported as revoked for the rest of its hour.
    h.service.purgeExpired();
    expect(await errorOf(refresh())).toMatchObject(expired);
    expect(await h.call<{ Username: string }>('GetUser', { AccessToken: late })).toMatchObject({
      Username: decodeJwt(late).username,
    });
    h.clock.advance(3600_000);
    expect(await errorOf(h.call('GetUser', { AccessToken: late }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
  });

  it('forgets a lockout after 15 quiet minutes', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'l@example.com');
    const attempt = (PASSWORD: string) =>
      h.call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'l@example.com', PASSWORD },
      });
    for (let i = 0; i < 7; i++) {
      await errorOf(attempt('Wr0ng-Passw0rd!'));
      h.clock.advance(5_000);
    }
    h.clock.advance(15 * 60_000);
    // Counter reset: four more failures do not lock.
    for (let i = 0; i < 4; i++)
      expect((await errorOf(attempt('Wr0ng-Passw0rd!'))).message).toBe('Incorrect username or password.');
    await attempt(PASSWORD);
  });
});
