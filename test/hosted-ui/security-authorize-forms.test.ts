import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { decodeJwt } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import {
  CALLBACK,
  callbackParams,
  FormBrowser,
  type HostedUiCloud,
  PASSWORD,
  PLAIN_CLIENT,
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

describe('Hosted UI and OAuth endpoints: errors and security: authorize, forms and the log', () => {
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
  describe('authorize', () => {
    it('shows an error page, and never redirects, for a redirect_uri that is not registered', async () => {
      const res = await fetch(`${cloud.base}${authorizeUrl({ redirect_uri: 'https://evil.example/cb' })}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('not one of the callback URLs registered');
    });

    it('never redirects from a page, a signed-in browser or logout to a redirect_uri that is not registered', async () => {
      const browser = new FormBrowser(cloud.base);
      await browser.signIn(authorizeUrl({}), email, PASSWORD);
      const evil = { response_type: 'code', client_id: WEB_CLIENT, redirect_uri: 'https://evil.example/cb' };
      const lookalike = { ...evil, redirect_uri: `${CALLBACK}/../evil` };
      for (const target of [
        `/oauth2/authorize?${new URLSearchParams(lookalike)}`,
        `/login?${new URLSearchParams(evil)}`,
        `/signup?${new URLSearchParams(evil)}`,
        `/logout?${new URLSearchParams(evil)}`,
      ]) {
        const res = await browser.get(target);
        expect(res.status, target).toBe(400);
        expect(res.headers.get('location'), target).toBeNull();
      }
      // The session is still there: the good callback still gets a code without the form.
      expect(callbackParams(await browser.get(authorizeUrl({}))).get('code')).toBeTruthy();
    });

    it('shows an error page for an unknown client', async () => {
      const res = await fetch(`${cloud.base}${authorizeUrl({ client_id: 'nosuchclient0000000000000' })}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    });

    it('redirects errors to the registered callback with state: missing response_type, plain PKCE, a forbidden scope', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ response_type: '' }, 'invalid_request'],
        [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'a'.repeat(43) }, 'invalid_request'],
        [{ scope: 'openid api/write' }, 'invalid_scope'],
        [{ response_type: 'id_token' }, 'unsupported_response_type'],
        [{ identity_provider: 'Google' }, 'invalid_request'],
      ];
      for (const [params, error] of cases) {
        const res = await fetch(`${cloud.base}${authorizeUrl({ state: 'st-1', ...params })}`, {
          redirect: 'manual',
        });
        expect(res.status, JSON.stringify(params)).toBe(302);
        const loc = new URL(res.headers.get('location') ?? '');
        expect(loc.origin + loc.pathname).toBe(CALLBACK);
        expect(loc.searchParams.get('error')).toBe(error);
        expect(loc.searchParams.get('state')).toBe('st-1');
      }
    });

    it('grants exactly the requested scopes: unknown ones ignored, email dropped without openid, no id token then', async () => {
      const exchange = async (scope: string) => {
        const code = await codeFor({ scope });
        const res = await token(
          { grant_type: 'authorization_code', code, redirect_uri: CALLBACK },
          webAuth(),
        );
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, string>;
      };
      const withOpenid = await exchange('openid no.such/scope email');
      expect(decodeJwt(withOpenid.access_token as string).scope).toBe('openid email');
      expect(decodeJwt(withOpenid.id_token as string).email).toBe(email);
      const without = await exchange('email api/read');
      expect(decodeJwt(without.access_token as string).scope).toBe('api/read');
      expect(without.id_token).toBeUndefined();
    });

    it('refuses the implicit flow to a client that only has the code flow, in the fragment', async () => {
      const res = await fetch(
        `${cloud.base}${authorizeUrl({ client_id: PUBLIC_CLIENT, response_type: 'token', state: 's' })}`,
        { redirect: 'manual' },
      );
      const loc = new URL(res.headers.get('location') ?? '');
      expect(new URLSearchParams(loc.hash.slice(1)).get('error')).toBe('unauthorized_client');
    });

    it('answers the implicit flow with tokens in the fragment and no refresh token', async () => {
      const browser = new FormBrowser(cloud.base);
      const res = await browser.signIn(
        authorizeUrl({ response_type: 'token', state: 'imp', nonce: 'n-1' }),
        email,
        PASSWORD,
      );
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get('location') ?? '');
      expect(loc.search).toBe('');
      const frag = new URLSearchParams(loc.hash.slice(1));
      expect([...frag.keys()]).toEqual(['id_token', 'access_token', 'token_type', 'expires_in', 'state']);
      expect(frag.get('token_type')).toBe('bearer');
      expect(frag.get('expires_in')).toBe('3600');
      expect(frag.get('state')).toBe('imp');
      expect(frag.get('refresh_token')).toBeNull();
      expect(decodeJwt(frag.get('id_token') as string).nonce).toBe('n-1');
      expect(decodeJwt(frag.get('access_token') as string).scope).toBe('openid email');
    });
  });

  describe('forms', () => {
    it('refuses a login post without the CSRF token, or with another browser’s token', async () => {
      const a = new FormBrowser(cloud.base);
      await a.follow(authorizeUrl({}));
      const { action, csrf } = a.form();
      const missing = await a.post(action, { username: email, password: PASSWORD });
      expect(missing.status).toBe(403);
      expect(missing.headers.get('location')).toBeNull();
      const b = new FormBrowser(cloud.base);
      await b.follow(authorizeUrl({}));
      const crossed = await b.post(action, { _csrf: csrf, username: email, password: PASSWORD });
      expect(crossed.status).toBe(403);
      const ok = await a.post(action, { _csrf: csrf, username: email, password: PASSWORD });
      expect(ok.status).toBe(302);
    });

    it('refuses a post without the CSRF token on every form, before acting on it', async () => {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: WEB_CLIENT,
        redirect_uri: CALLBACK,
        scope: 'openid',
      }).toString();
      const newcomer = 'csrf-newcomer@example.com';
      const forms: [string, Record<string, string>][] = [
        ['/login', { username: email, password: PASSWORD }],
        ['/signup', { username: newcomer, email: newcomer, password: PASSWORD }],
        ['/confirmUser', { username: email, code: '123456' }],
        ['/forgotPassword', { username: email }],
        ['/confirmForgotPassword', { username: email, code: '123456', password: PASSWORD }],
        ['/forceChangePassword', { password: PASSWORD }],
      ];
      for (const [path, fields] of forms) {
        const browser = new FormBrowser(cloud.base);
        await browser.get(`${path}?${query}`);
        expect(browser.cookies.has('XSRF-TOKEN'), path).toBe(true);
        const res = await browser.post(`${path}?${query}`, fields);
        expect(res.status, path).toBe(403);
        expect(res.headers.get('location'), path).toBeNull();
        expect(browser.cookies.has('cognito'), path).toBe(false);
      }
      const pool = cloud.idp.service.pool(POOL_ID);
      expect(cloud.idp.service.findUser(pool, newcomer)).toBeUndefined();
    });

    it('sets an HttpOnly, SameSite=Lax session cookie for one hour, and framing is denied', async () => {
      const browser = new FormBrowser(cloud.base);
      const page = await browser.follow(authorizeUrl({}));
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const res = await browser.submit({ username: email, password: PASSWORD });
      const session = res.headers.getSetCookie().find((c) => c.startsWith('cognito='));
      expect(session).toMatch(/Max-Age=3600/);
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Lax/);
    });

    /** Hostile values and what they must look like in the page: every `&<>"'` as an entity. */
    const HOSTILE: [string, string][] = [
      ['"><script>alert(1)</script>', '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
      ['x" autofocus onfocus="alert(1)', 'x&quot; autofocus onfocus=&quot;alert(1)'],
      ["x' onmouseover='alert(1)", 'x&#39; onmouseover=&#39;alert(1)'],
      ['a&b<i>', 'a&amp;b&lt;i&gt;'],
    ];
    /** The whole `<input>` tag of a visible field, found by its id. */
    const inputTag = (html: string, name: string) =>
      new RegExp(`<input id="f-${name}"[^>]*>`).exec(html)?.[0];
    /** No markup a hostile value could have injected: no script element, no event-handler attribute. */
    const expectInert = (html: string, what: string) => {
      expect(html, what).not.toMatch(/<script/i);
      expect(html, what).not.toMatch(/\son[a-z]+=["']/i);
      expect(html, what).not.toContain('<i>');
    };

    it('carries a hostile state through the pages only URL-encoded, and returns it intact (XSS)', async () => {
      const browser = new FormBrowser(cloud.base);
      const evil = `"><script>alert(1)</script>' onfocus='x`;
      await browser.follow(authorizeUrl({ state: evil }));
      const html = browser.lastHtml;
      expectInert(html, 'login page');
      // It is in the page (the form action and both links carry the authorize request), URL-encoded each time.
      const encoded = new URLSearchParams({ state: evil }).toString();
      expect(encoded).not.toMatch(/["'<>]/);
      expect(html.split(encoded).length - 1).toBe(3);
      expect(new URL(browser.form().action, cloud.base).searchParams.get('state')).toBe(evil);
      const res = await browser.submit({ username: email, password: PASSWORD });
      expect(callbackParams(res).get('state')).toBe(evil);
    });

    it('escapes a posted username it shows back after a failed sign-in (XSS)', async () => {
      for (const [evil, escaped] of HOSTILE) {
        const browser = new FormBrowser(cloud.base);
        await browser.follow(authorizeUrl({}));
        const res = await browser.submit({ username: `${evil}@x.example`, password: 'wrong' });
        expect(res.status, evil).toBe(400);
        const html = await res.text();
        expect(html, evil).toContain(
          `name="username" type="email" autocomplete="username" value="${escaped}@x.example"`,
        );
        expect(html, evil).not.toContain(evil);
        expectInert(html, evil);
      }
    });

    it('escapes the username query in the intro and hidden field of /confirmUser and /confirmForgotPassword (XSS)', async () => {
      for (const [evil, escaped] of HOSTILE) {
        const query = (path: string) =>
          `${path}?${new URLSearchParams({ response_type: 'code', client_id: WEB_CLIENT, redirect_uri: CALLBACK, username: evil })}`;
        for (const path of ['/confirmUser', '/confirmForgotPassword']) {
          const browser = new FormBrowser(cloud.base);
          const res = await browser.get(query(path));
          expect(res.status, path).toBe(200);
          const html = browser.lastHtml;
          expect(html, `${path} ${evil}`).toContain(
            `<input type="hidden" name="username" value="${escaped}">`,
          );
          expect(html, `${path} ${evil}`).not.toContain(evil);
          expectInert(html, `${path} ${evil}`);
          // The form posts it back exactly, in its URL-encoded action.
          expect(new URL(browser.form().action, cloud.base).searchParams.get('username')).toBe(evil);
        }
        const confirm = new FormBrowser(cloud.base);
        await confirm.get(query('/confirmUser'));
        expect(confirm.lastHtml, evil).toContain(
          `<p class="intro textDescription-customizable">Enter the verification code we sent you to finish creating the account ${escaped}.</p>`,
        );
      }
    });

    it('escapes the username query shown in the field of /login and /forgotPassword (XSS)', async () => {
      for (const [evil, escaped] of HOSTILE) {
        for (const path of ['/login', '/forgotPassword']) {
          const browser = new FormBrowser(cloud.base);
          await browser.get(
            `${path}?${new URLSearchParams({ response_type: 'code', client_id: WEB_CLIENT, redirect_uri: CALLBACK, username: evil })}`,
          );
          expect(browser.lastHtml, `${path} ${evil}`).toContain(`value="${escaped}"`);
          expect(browser.lastHtml, `${path} ${evil}`).not.toContain(evil);
          expectInert(browser.lastHtml, `${path} ${evil}`);
        }
      }
    });

    it('escapes the posted sign-up username and attributes it shows back, and never shows a notice from the query (XSS)', async () => {
      const [evil, escaped] = HOSTILE[1] as [string, string];
      const plain = new URLSearchParams({
        response_type: 'code',
        client_id: PLAIN_CLIENT,
        redirect_uri: CALLBACK,
        scope: 'openid',
      });
      const signUp = new FormBrowser(cloud.base);
      await signUp.get(`/signup?${plain}`);
      const res = await signUp.submit({
        username: evil,
        name: evil,
        email: `${evil}@x.example`,
        password: 'short',
      });
      expect(res.status).toBe(400);
      for (const [field, value] of [
        ['username', escaped],
        ['name', escaped],
        ['email', `${escaped}@x.example`],
      ]) {
        expect(inputTag(signUp.lastHtml, field), field).toContain(` value="${value}" `);
      }
      expect(signUp.lastHtml).not.toContain(evil);
      expectInert(signUp.lastHtml, 'sign-up');

      const notice = new FormBrowser(cloud.base);
      await notice.get(`/login?${plain}&notice=${encodeURIComponent('<script>alert(1)</script>')}`);
      expect(notice.lastHtml).toContain('<div class="alert notice" role="status"></div>');
      expect(notice.lastHtml).not.toContain('alert(1)');
    });

    it('does not reveal whether a user exists when PreventUserExistenceErrors is ENABLED, and does when LEGACY', async () => {
      const web = new FormBrowser(cloud.base);
      await web.follow(authorizeUrl({}));
      const unknown = await web.submit({ username: 'nobody@example.com', password: PASSWORD });
      expect(await unknown.text()).toContain('Incorrect username or password.');
      const legacy = new FormBrowser(cloud.base);
      await legacy.follow(authorizeUrl({ client_id: PUBLIC_CLIENT }));
      const res = await legacy.submit({ username: 'nobody@example.com', password: PASSWORD });
      expect(await res.text()).toContain('User does not exist.');
    });

    it('shares the pool’s lockout with the JSON API after repeated wrong passwords', async () => {
      const victim = 'locked@example.com';
      await cloud.createUser(victim);
      const browser = new FormBrowser(cloud.base);
      await browser.follow(authorizeUrl({}));
      for (let i = 0; i < 5; i++) {
        const res = await browser.submit({ username: victim, password: 'Wrong-password-1' });
        expect(await res.text()).toContain('Incorrect username or password.');
      }
      const locked = await browser.submit({ username: victim, password: PASSWORD });
      expect(await locked.text()).toContain('Password attempts exceeded');
      const secretHash = createHmac('sha256', cloud.secret(WEB_CLIENT))
        .update(victim + WEB_CLIENT)
        .digest('base64');
      const api = await fetch(cloud.idp.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: WEB_CLIENT,
          AuthParameters: { USERNAME: victim, PASSWORD, SECRET_HASH: secretHash },
        }),
      });
      expect(await api.json()).toEqual({
        __type: 'NotAuthorizedException',
        message: 'Password attempts exceeded',
      });
    });

    it('throttles login posts from one address', async () => {
      const throttled = await startHostedUiCloud({ loginThrottle: { max: 3, windowMs: 60_000 } });
      try {
        const browser = new FormBrowser(throttled.base);
        await browser.follow(authorizeUrl({}));
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await browser.submit({ username: `u${i}@x.example`, password: 'x' })).status);
        expect(statuses).toEqual([400, 400, 400, 429]);
        expect(browser.lastHtml).toContain('Too many sign-in attempts');
      } finally {
        await throttled.stop();
      }
    });
  });

  it('never writes passwords, codes, tokens or secrets to the log', async () => {
    const code = await codeFor({ state: 'log-state' });
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, webAuth());
    const tokens = (await res.json()) as Record<string, string>;
    const log = logLines.join('');
    expect(log).toContain('hosted ui request');
    for (const secret of [
      PASSWORD,
      code,
      tokens.access_token,
      tokens.refresh_token,
      cloud.secret(WEB_CLIENT),
      'log-state',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
