import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CALLBACK,
  callbackParams,
  FormBrowser,
  type HostedUiCloud,
  LOGOUT,
  M2M_CLIENT,
  PASSWORD,
  PLAIN_CLIENT,
  POOL_ID,
  PUBLIC_CLIENT,
  WEB_CLIENT,
} from './helpers.js';
import { authorizeUrl, useSecurityCloud } from './securityCloud.js';

describe('Hosted UI and OAuth endpoints: errors and security: sessions and the token endpoint', () => {
  const shared = useSecurityCloud();
  const { clock, email, basic, token, webAuth, codeFor } = shared;
  let cloud: HostedUiCloud;
  beforeAll(() => {
    cloud = shared.cloud;
  });
  describe('sessions', () => {
    it('signs a returning browser in without the form for an hour, and asks again after', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      const again = await browser.get(authorizeUrl({ state: 'sso' }));
      expect(again.status).toBe(302);
      expect(callbackParams(again).get('code')).toBeTruthy();
      expect(callbackParams(again).get('state')).toBe('sso');
      clock.advance(3600_000 + 1000);
      const expired = await browser.get(authorizeUrl({}));
      expect(new URL(expired.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
    });

    // Regression (audit): a sign-up, an unconfirmed login or a temporary-password login in a signed-in browser copied
    // the sign-in into the rotated session with a fresh expiry, so it outlived the Hosted UI's one-hour cookie.
    it('never stretches a sign-in past an hour by a later sign-up, unconfirmed login or temporary-password login', async () => {
      const signedInBrowser = async () => {
        const browser = new FormBrowser(cloud.base);
        expect(
          callbackParams(await browser.signIn(authorizeUrl({}), email, PASSWORD)).get('code'),
        ).toBeTruthy();
        return browser;
      };
      const sessionId = (b: FormBrowser) => b.cookies.get('cognito');
      const landsOn = async (b: FormBrowser) => {
        const res = await b.get(authorizeUrl({}));
        expect(res.status).toBe(302);
        const loc = new URL(res.headers.get('location') ?? '', cloud.base);
        return loc.origin === cloud.base ? loc.pathname : 'callback';
      };
      const service = cloud.idp.service;
      const stamp = clock.now();

      // A sign-up 50 minutes in: the session rotates, the sign-in is kept, and it still ends at one hour.
      const signUp = await signedInBrowser();
      clock.advance(50 * 60_000);
      await signUp.get(signUp.url(`/signup${new URL(authorizeUrl({}), cloud.base).search}`));
      const before = sessionId(signUp);
      const pending = await signUp.submit({ username: `stretch-${stamp}@example.com`, password: PASSWORD });
      expect(new URL(pending.headers.get('location') ?? '', cloud.base).pathname).toBe('/confirmUser');
      expect(sessionId(signUp)).toBeDefined();
      expect(sessionId(signUp)).not.toBe(before);
      clock.advance(9 * 60_000);
      expect(await landsOn(signUp)).toBe('callback');
      clock.advance(60_000 + 1000);
      expect(await landsOn(signUp)).toBe('/login');

      // An unconfirmed user's login from a login form left open in the same browser, 50 minutes in.
      const unconfirmed = `unconfirmed-${stamp}@example.com`;
      await service.accounts.signUp(service.client(WEB_CLIENT), {
        username: unconfirmed,
        password: PASSWORD,
        attributes: {},
      });
      const lateLogin = await signedInBrowser();
      clock.advance(50 * 60_000);
      const toConfirm = await lateLogin.submit({ username: unconfirmed, password: PASSWORD });
      expect(new URL(toConfirm.headers.get('location') ?? '', cloud.base).pathname).toBe('/confirmUser');
      clock.advance(10 * 60_000 + 1000);
      expect(await landsOn(lateLogin)).toBe('/login');

      // A temporary-password login 59 minutes in (its challenge lasts three minutes, past the hour).
      const invited = `invited-${stamp}@example.com`;
      await service.accounts.adminCreateUser(POOL_ID, {
        username: invited,
        attributes: { email: invited, email_verified: 'true' },
        temporaryPassword: 'Temp-Pass-123',
        messageAction: 'SUPPRESS',
      });
      const tempLogin = await signedInBrowser();
      clock.advance(59 * 60_000);
      const toChange = await tempLogin.submit({ username: invited, password: 'Temp-Pass-123' });
      expect(new URL(toChange.headers.get('location') ?? '', cloud.base).pathname).toBe(
        '/forceChangePassword',
      );
      clock.advance(60_000 + 1000);
      expect(await landsOn(tempLogin)).toBe('/login');
      // The password change itself is still open (its own three minutes), and completing it is a new sign-in.
      await tempLogin.follow(new URL(toChange.headers.get('location') ?? '', cloud.base).toString());
      expect(tempLogin.lastHtml).toContain('Change your password');
    });

    it('keeps a sign-in to one pool from signing the browser in to another pool on the same host', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      const other = await browser.get(
        `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: PLAIN_CLIENT, redirect_uri: CALLBACK, scope: 'openid' })}`,
      );
      expect(other.status).toBe(302);
      const loc = new URL(other.headers.get('location') ?? '', cloud.base);
      expect(loc.origin).toBe(cloud.base);
      expect(loc.pathname).toBe('/login');
      expect(loc.searchParams.get('client_id')).toBe(PLAIN_CLIENT);
      const page = await browser.get(loc.toString());
      expect(page.status).toBe(200);
      expect(browser.lastHtml).toContain('Plain pool');
    });

    it('logs out to a registered logout_uri and clears the session; refuses an unregistered one', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      const evil = await browser.get(
        `/logout?client_id=${WEB_CLIENT}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
      );
      expect(evil.status).toBe(400);
      expect(evil.headers.get('location')).toBeNull();
      const out = await browser.get(
        `/logout?client_id=${WEB_CLIENT}&logout_uri=${encodeURIComponent(LOGOUT)}`,
      );
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(LOGOUT);
      const next = await browser.get(authorizeUrl({}));
      expect(new URL(next.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
    });

    // Cognito requires logout_uri or redirect_uri, answers without either with its error page, and signs out anyway.
    it('signs out on a logout with only a client_id, and shows Cognito’s missing redirect_uri error', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      const session = browser.cookies.get('cognito') as string;
      expect(session).toBeTruthy();
      const res = await browser.get(`/logout?client_id=${WEB_CLIENT}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito=; .*Max-Age=0/));
      expect(browser.lastHtml).toContain('Required String parameter &#39;redirect_uri&#39; is not present');
      expect(browser.cookies.has('cognito')).toBe(false);
      const next = await browser.get(authorizeUrl({}));
      expect(new URL(next.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
      // The session is gone on the server too: the old cookie, sent again, no longer signs anyone in.
      const replayed = await fetch(`${cloud.base}${authorizeUrl({})}`, {
        redirect: 'manual',
        headers: { cookie: `cognito=${session}` },
      });
      expect(new URL(replayed.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
    });

    it('logs out with redirect_uri and response_type back to the login page, signed out', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      expect(browser.cookies.has('cognito')).toBe(true);
      const res = await browser.get(
        `/logout?${new URLSearchParams({ client_id: WEB_CLIENT, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`,
      );
      const loc = new URL(res.headers.get('location') ?? '', cloud.base);
      expect(loc.pathname).toBe('/login');
      expect(loc.searchParams.get('client_id')).toBe(WEB_CLIENT);
      expect(browser.cookies.has('cognito')).toBe(false);
      const page = await browser.get(loc.toString());
      expect(page.status).toBe(200);
      expect(browser.lastHtml).toContain('<h1>Sign in</h1>');
    });
  });

  describe('token endpoint', () => {
    it('exchanges a code exactly as the original demo does: Basic auth, form-encoded, with client_id', async () => {
      const code = await codeFor();
      const res = await token(
        { grant_type: 'authorization_code', client_id: WEB_CLIENT, code, redirect_uri: CALLBACK },
        webAuth(),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual([
        'access_token',
        'expires_in',
        'id_token',
        'refresh_token',
        'token_type',
      ]);
      expect(body.expires_in).toBe(3600);
      expect(body.token_type).toBe('Bearer');
    });

    it('accepts client_secret_post and refuses both methods at once', async () => {
      const code = await codeFor();
      const both = await token(
        {
          grant_type: 'authorization_code',
          client_id: WEB_CLIENT,
          client_secret: cloud.secret(WEB_CLIENT),
          code,
          redirect_uri: CALLBACK,
        },
        webAuth(),
      );
      expect(await both.json()).toMatchObject({ error: 'invalid_request' });
      const code2 = await codeFor();
      const post = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT,
        client_secret: cloud.secret(WEB_CLIENT),
        code: code2,
        redirect_uri: CALLBACK,
      });
      expect(post.status).toBe(200);
    });

    it('answers a bad secret over Basic with 401 invalid_client and WWW-Authenticate', async () => {
      const res = await token(
        { grant_type: 'client_credentials' },
        { authorization: basic(M2M_CLIENT, 'wrong') },
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await res.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('answers a grant the client is not allowed with unauthorized_client, and a missing code with invalid_request', async () => {
      const m2m = await token(
        { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: CALLBACK },
        { authorization: basic(M2M_CLIENT, cloud.secret(M2M_CLIENT)) },
      );
      expect(m2m.status).toBe(400);
      expect(await m2m.json()).toMatchObject({ error: 'unauthorized_client' });
      const missing = await token({ grant_type: 'authorization_code', redirect_uri: CALLBACK }, webAuth());
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('answers an unsupported grant with unsupported_grant_type', async () => {
      const res = await token({ grant_type: 'password', username: email, password: PASSWORD }, webAuth());
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('expires codes after five minutes', async () => {
      const code = await codeFor();
      clock.advance(5 * 60_000 + 1);
      const res = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, webAuth());
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('binds a code to its client and its redirect_uri', async () => {
      const code = await codeFor();
      const other = await token({
        grant_type: 'authorization_code',
        client_id: PUBLIC_CLIENT,
        code,
        redirect_uri: CALLBACK,
      });
      expect(await other.json()).toMatchObject({ error: 'invalid_grant' });
      const code2 = await codeFor();
      const elsewhere = await token(
        { grant_type: 'authorization_code', code: code2, redirect_uri: 'http://localhost:3000/other' },
        webAuth(),
      );
      expect(await elsewhere.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('refuses a code_verifier for a code issued without PKCE, and checks S256 when it was', async () => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const code = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
      const missing = await token(
        { grant_type: 'authorization_code', code, redirect_uri: CALLBACK },
        webAuth(),
      );
      expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });
      const code2 = await codeFor({ code_challenge: challenge, code_challenge_method: 'S256' });
      const ok = await token(
        { grant_type: 'authorization_code', code: code2, redirect_uri: CALLBACK, code_verifier: verifier },
        webAuth(),
      );
      expect(ok.status).toBe(200);
      const code3 = await codeFor();
      const unexpected = await token(
        { grant_type: 'authorization_code', code: code3, redirect_uri: CALLBACK, code_verifier: verifier },
        webAuth(),
      );
      expect(await unexpected.json()).toMatchObject({ error: 'invalid_grant' });
    });

    // Regression: auth_time used to be the exchange time (TokenService.issue ignored the Hosted UI's sign-in time).
    it('stamps auth_time with the sign-in on the form, not the later exchange or a silent re-authorize', async () => {
      const browser = new FormBrowser(cloud.base);
      const signedInAt = Math.floor(clock.now() / 1000);
      const first = callbackParams(await browser.signIn(authorizeUrl({}), email, PASSWORD)).get(
        'code',
      ) as string;
      clock.advance(120_000);
      const exchanged = (await (
        await token({ grant_type: 'authorization_code', code: first, redirect_uri: CALLBACK }, webAuth())
      ).json()) as Record<string, string>;
      expect(decodeJwt(exchanged.access_token as string).iat).toBe(signedInAt + 120);
      // The same browser is signed in without the form (session), still as of the first sign-in.
      const again = await browser.get(authorizeUrl({}));
      const second = callbackParams(again).get('code') as string;
      const viaSession = (await (
        await token({ grant_type: 'authorization_code', code: second, redirect_uri: CALLBACK }, webAuth())
      ).json()) as Record<string, string>;
      const refreshed = (await (
        await token(
          { grant_type: 'refresh_token', refresh_token: exchanged.refresh_token as string },
          webAuth(),
        )
      ).json()) as Record<string, string>;
      for (const t of [exchanged, viaSession, refreshed]) {
        expect(decodeJwt(t.id_token as string).auth_time).toBe(signedInAt);
        expect(decodeJwt(t.access_token as string).auth_time).toBe(signedInAt);
      }
    });

    it('refuses a body that is not form-encoded', async () => {
      const res = await fetch(`${cloud.base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...webAuth() },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    });
  });
});
