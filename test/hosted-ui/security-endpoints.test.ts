import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK, type HostedUiCloud, PASSWORD, POOL_ID, PUBLIC_CLIENT, WEB_CLIENT } from './helpers.js';
import { useSecurityCloud } from './securityCloud.js';

describe('Hosted UI and OAuth endpoints: errors and security: userInfo, revoke and malformed requests', () => {
  const shared = useSecurityCloud();
  const { email, token, webAuth, codeFor } = shared;
  let cloud: HostedUiCloud;
  beforeAll(() => {
    cloud = shared.cloud;
  });
  describe('userInfo and revoke', () => {
    it('rejects an access token without the openid scope (one from InitiateAuth) with 401 invalid_token', async () => {
      const auth = await cloud.idp.service.auth.authenticatePasswordAsync(
        cloud.idp.service.client(WEB_CLIENT),
        email,
        PASSWORD,
      );
      const issued = await cloud.idp.service.tokens.issue({
        pool: cloud.idp.service.pool(POOL_ID),
        client: cloud.idp.service.client(WEB_CLIENT),
        user: auth.user,
        scopes: ['aws.cognito.signin.user.admin'],
        withRefreshToken: false,
        apiFlow: true,
        triggerSource: 'TokenGeneration_Authentication',
      });
      const res = await fetch(`${cloud.base}/oauth2/userInfo`, {
        headers: { authorization: `Bearer ${issued.accessToken}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const none = await fetch(`${cloud.base}/oauth2/userInfo`);
      expect(none.status).toBe(400);
      expect(none.headers.get('www-authenticate')).toContain('error="invalid_request"');
    });

    it('answers userInfo over POST too', async () => {
      const code = await codeFor();
      const tokens = (await (
        await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, webAuth())
      ).json()) as { access_token: string };
      const res = await fetch(`${cloud.base}/oauth2/userInfo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ email, email_verified: 'true' });
    });

    it('releases every readable attribute for openid alone, and only the scopes’ attributes otherwise', async () => {
      const person = 'scoped@example.com';
      await cloud.createUser(person);
      await cloud.idp.service.accounts.adminUpdateUserAttributes(POOL_ID, person, { name: 'Grace Hopper' });
      const infoFor = async (scope: string) => {
        const code = await codeFor({ scope }, person);
        const tokens = (await (
          await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, webAuth())
        ).json()) as { access_token: string };
        const res = await fetch(`${cloud.base}/oauth2/userInfo`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        return (await res.json()) as Record<string, string>;
      };
      const all = await infoFor('openid');
      expect(all).toMatchObject({ name: 'Grace Hopper', email: person, email_verified: 'true' });
      expect(all.sub).toBeTypeOf('string');
      expect(all.username).toBe(all.sub);
      const email = await infoFor('openid email');
      expect(email).toMatchObject({ email: person, email_verified: 'true' });
      expect(email.name).toBeUndefined();
      const profile = await infoFor('openid profile');
      expect(profile).toMatchObject({ name: 'Grace Hopper', sub: all.sub });
      expect(profile.email).toBeUndefined();
    });

    it('refuses to revoke an access token, and accepts an unknown refresh token', async () => {
      const code = await codeFor();
      const tokens = (await (
        await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, webAuth())
      ).json()) as { access_token: string };
      const revoke = (t: string) =>
        fetch(`${cloud.base}/oauth2/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...webAuth() },
          body: new URLSearchParams({ token: t }).toString(),
        });
      const access = await revoke(tokens.access_token);
      expect(access.status).toBe(400);
      expect(await access.json()).toMatchObject({ error: 'unsupported_token_type' });
      const unknown = await revoke(randomBytes(96).toString('base64url'));
      expect(unknown.status).toBe(200);
    });
  });

  it('answers malformed requests with protocol errors or error pages, never a 500 or a stack trace', async () => {
    const cases: [string, RequestInit][] = [
      [
        `/oauth2/authorize?client_id=${WEB_CLIENT}&client_id=x&redirect_uri=${encodeURIComponent(CALLBACK)}`,
        {},
      ],
      [`/oauth2/authorize?client_id=${'x'.repeat(5000)}`, {}],
      ['/login', {}],
      [
        `/login?client_id=${WEB_CLIENT}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' },
      ],
      [
        '/oauth2/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code&grant_type=x',
        },
      ],
      [
        '/oauth2/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic %%%' },
          body: 'grant_type=client_credentials',
        },
      ],
      [
        '/oauth2/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'x'.repeat(100_000),
        },
      ],
      [
        '/oauth2/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer abc' },
          body: 'grant_type=client_credentials',
        },
      ],
      [
        '/oauth2/revoke',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `client_id=${PUBLIC_CLIENT}`,
        },
      ],
      ['/oauth2/userInfo', { headers: { authorization: 'Bearer not.a.jwt' } }],
      ['/logout', {}],
      ['/nowhere', {}],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(`${cloud.base}${path}`, { redirect: 'manual', ...init });
      const text = await res.text();
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(text, path).not.toMatch(/\bat .+\.(ts|js):\d+/);
    }
  });
});
