import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import {
  CALLBACK,
  callbackParams,
  FormBrowser,
  type HostedUiCloud,
  PASSWORD,
  POOL_ID,
  PUBLIC_CLIENT,
  startHostedUiCloud,
  WEB_CLIENT,
} from './helpers.js';

const authorizeUrl = (params: Record<string, string>) =>
  `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: WEB_CLIENT,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    ...params,
  })}`;

describe('Hosted UI and OAuth endpoints: errors and security: userInfo, revoke and malformed requests', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  const logLines: string[] = [];
  let cloud: HostedUiCloud;
  const email = 'grace@example.com';

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${cloud.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });
  const webAuth = () => ({ authorization: basic(WEB_CLIENT, cloud.secret(WEB_CLIENT)) });
  const codeFor = async (params: Record<string, string> = {}, user = email) => {
    const res = await new FormBrowser(cloud.base).signIn(authorizeUrl(params), user, PASSWORD);
    expect(res.status).toBe(302);
    return callbackParams(res).get('code') as string;
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    cloud = await startHostedUiCloud({
      clock,
      log: pino({ level: 'debug' }, sink),
      loginThrottle: { max: 25, windowMs: 60_000 },
    });
    await cloud.createUser(email);
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  describe('userInfo and revoke', () => {
    it('rejects an access token without the openid scope (one from InitiateAuth) with 401 invalid_token', async () => {
      const auth = await cloud.idp.service.auth.authenticatePassword(
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
