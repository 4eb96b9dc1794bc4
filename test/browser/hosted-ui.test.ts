import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../hosted-ui/chromium.js';
import {
  CALLBACK,
  type HostedUiCloud,
  LOGOUT,
  PASSWORD,
  startHostedUiCloud,
  WEB_CLIENT,
} from '../hosted-ui/helpers.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/hosted-ui');

/**
 * The original demo, steps 1 to 6, in Debian's Chromium: open the Hosted UI, sign up with email and password, read
 * the code from the local inbox, confirm, arrive at the callback with `?code=`, and exchange it exactly as the demo
 * did. There is deliberately no skip: without /usr/bin/chromium the launch fails and so does the test.
 */
describe('the Hosted UI in Chromium', () => {
  let cloud: HostedUiCloud;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    cloud = await startHostedUiCloud();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  /**
   * Saves a full-page screenshot to test-artifacts/ (CI uploads them) and checks the file: written by this run (an
   * older one is removed first), non-empty, and a PNG as wide as the viewport and at least as tall.
   */
  const shot = async (page: Page, name: string) => {
    const path = join(ARTIFACTS, `${name}.png`);
    rmSync(path, { force: true });
    const taken = await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size, path).toBeGreaterThan(1000);
    const file = readFileSync(path);
    expect(file.equals(taken), path).toBe(true);
    expect(file.subarray(0, 8).equals(PNG_SIGNATURE), path).toBe(true);
    expect(file.toString('latin1', 12, 16), path).toBe('IHDR');
    const viewport = page.viewportSize();
    expect(file.readUInt32BE(16), path).toBe(viewport?.width);
    expect(file.readUInt32BE(20), path).toBeGreaterThanOrEqual(viewport?.height ?? 1);
  };

  /** Nothing listens on the demo's callback: the browser's request to it is answered here and recorded. */
  async function interceptCallback(page: Page): Promise<() => URL | undefined> {
    let seen: URL | undefined;
    // A predicate, not a glob: the callback URL carries a query, which URL globs do not match across.
    await page.route(
      (url) => url.href.startsWith(`${CALLBACK}?`),
      async (route) => {
        seen = new URL(route.request().url());
        await route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<!doctype html><title>Callback</title><h1>Signed in: the app received its code</h1>',
        });
      },
    );
    return () => seen;
  }

  it('signs up, confirms with the mailed code, reaches the callback and exchanges the code with Basic auth', async () => {
    const email = 'demo.user@example.com';
    const password = 'Demo-Passw0rd!';
    const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();
    const callback = await interceptCallback(page);

    // 1. Open the Hosted UI.
    const authorize = `${cloud.base}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: WEB_CLIENT,
      redirect_uri: CALLBACK,
      scope: 'openid email',
      state: 'demo-state',
    })}`;
    await page.goto(authorize);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    await shot(page, '01-login');

    // 2. Register with email and password.
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.waitForURL(/\/signup\?/);
    await shot(page, '02-signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('weak');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Password did not conform with policy');
    await shot(page, '03-signup-error');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/confirmUser\?/);
    await shot(page, '04-confirm');

    // 3. Receive the code by email (the local inbox) and confirm the account.
    const inbox = await context.newPage();
    await inbox.goto(`${cloud.idp.urls.inboxUrl}.html?to=${encodeURIComponent(email)}`);
    await shot(inbox, '05-inbox');
    await inbox.close();
    const mails = (await (
      await fetch(`${cloud.idp.urls.inboxUrl}?to=${encodeURIComponent(email)}`)
    ).json()) as {
      text: string;
    }[];
    const code = /\b(\d{6})\b/.exec(mails[0]?.text ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Verification code').fill(code as string);
    await page.getByRole('button', { name: 'Confirm account' }).click();

    // 4. Signed in, redirected to the callback with ?code=.
    await expect.poll(() => callback()?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
    await shot(page, '06-callback');
    const received = callback() as URL;
    expect(received.origin + received.pathname).toBe(CALLBACK);
    expect(received.searchParams.get('state')).toBe('demo-state');

    // 5. POST the code to /oauth2/token with Basic auth, form-encoded, exactly as the demo did.
    const res = await fetch(`${cloud.base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${WEB_CLIENT}:${cloud.secret(WEB_CLIENT)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT,
        code: received.searchParams.get('code') as string,
        redirect_uri: CALLBACK,
      }),
    });

    // 6. id_token, access_token, refresh_token, expires_in 3600, token_type Bearer.
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(typeof tokens.refresh_token).toBe('string');
    const id = decodeJwt(tokens.id_token as string);
    expect(id).toMatchObject({
      email,
      email_verified: true,
      aud: WEB_CLIENT,
      iss: cloud.issuer,
      token_use: 'id',
    });
    expect(decodeJwt(tokens.access_token as string)).toMatchObject({
      client_id: WEB_CLIENT,
      scope: 'openid email',
    });
    await context.close();
  });

  it('signs in by keyboard alone, with the focus moving in reading order and always visible', async () => {
    const email = 'keyboard.user@example.com';
    await cloud.createUser(email);
    const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();
    const callback = await interceptCallback(page);
    await page.goto(
      `${cloud.base}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: WEB_CLIENT,
        redirect_uri: CALLBACK,
        scope: 'openid',
        state: 'kb',
      })}`,
    );
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    /** What has the focus: a field's name, or a button's or link's text; and whether it draws an outline. */
    const focused = async () => {
      const el = page.locator(':focus');
      if ((await el.count()) === 0) return { what: 'body', outline: 'none' };
      const what = (await el.getAttribute('name')) ?? (await el.textContent())?.trim() ?? '';
      // Runs in the page; typed structurally because the tests compile without the DOM library.
      type Styles = { getComputedStyle(node: unknown): { outlineStyle: string } };
      const outline = await el.evaluate(
        (node) => (globalThis as unknown as Styles).getComputedStyle(node).outlineStyle,
      );
      return { what, outline };
    };
    // The first field has the focus when the page opens.
    expect((await focused()).what).toBe('username');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const f = await focused();
      order.push(f.what);
      expect(f.outline, f.what).toBe('solid');
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['username', 'password', 'Sign in', 'Forgot your password?', 'Sign up']);
    // Back to the fields, fill them and press the button with the space bar.
    await page.getByLabel('Email').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Correct-Horse-9');
    await page.keyboard.press('Tab');
    expect((await focused()).what).toBe('Sign in');
    await shot(page, '08-login-keyboard');
    await page.keyboard.press('Space');
    await expect.poll(() => callback()?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
    expect(callback()?.searchParams.get('state')).toBe('kb');
    await context.close();
  });

  it('resets a forgotten password with the mailed code, showing a wrong code in place, then signs in', async () => {
    const email = 'forgetful.user@example.com';
    const newPassword = 'Brand-New-Passw0rd';
    await cloud.createUser(email);
    const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();
    const callback = await interceptCallback(page);
    await page.goto(
      `${cloud.base}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: WEB_CLIENT,
        redirect_uri: CALLBACK,
        scope: 'openid',
        state: 'reset',
      })}`,
    );
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/forgotPassword\?/);
    await shot(page, '09-forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(/\/confirmForgotPassword\?/);
    await shot(page, '10-confirm-forgot-password');
    const mails = (await (
      await fetch(`${cloud.idp.urls.inboxUrl}?to=${encodeURIComponent(email)}`)
    ).json()) as { text: string }[];
    expect(mails).toHaveLength(1);
    const code = /\b(\d{6})\b/.exec(mails[0]?.text ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('Verification code').fill(wrong);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Invalid verification code provided, please try again.');
    await shot(page, '11-confirm-forgot-password-error');
    await page.getByLabel('Verification code').fill(code);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/\/login\?/);
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Your password has been changed');
    await shot(page, '12-login-after-reset');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => callback()?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
    expect(callback()?.searchParams.get('state')).toBe('reset');
    await context.close();
  });

  it('shows a wrong password in place, and signs a confirmed user in on a small screen', async () => {
    const email = 'phone.user@example.com';
    await cloud.createUser(email);
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const page = await context.newPage();
    const callback = await interceptCallback(page);
    await page.goto(
      `${cloud.base}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: WEB_CLIENT,
        redirect_uri: CALLBACK,
        scope: 'openid',
      })}`,
    );
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Not-the-password-1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Incorrect username or password.');
    // The error keeps the typed email and puts the focus back on the password.
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    expect(await page.locator('input:focus').getAttribute('name')).toBe('password');
    await shot(page, '07-login-error-mobile');
    await page.getByLabel('Password').fill('Correct-Horse-9');
    await page.keyboard.press('Enter');
    await expect.poll(() => callback()?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
    await context.close();
  });

  it('shows an error page for an unknown client, and signs out to the login page or Cognito’s error page', async () => {
    const email = 'leaving.user@example.com';
    await cloud.createUser(email);
    const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
    const page = await context.newPage();
    const callback = await interceptCallback(page);
    const authorize = (clientId: string) =>
      `${cloud.base}/oauth2/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: CALLBACK,
        scope: 'openid',
      })}`;

    /** Signs in on the login page (opening it first unless it is shown) and waits until the callback has loaded. */
    const signIn = async () => {
      if (new URL(page.url()).pathname !== '/login') await page.goto(authorize(WEB_CLIENT));
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.href.startsWith(`${CALLBACK}?`));
      expect(callback()?.searchParams.get('code')).toBeTruthy();
      expect((await context.cookies(cloud.base)).some((c) => c.name === 'cognito')).toBe(true);
    };

    // An unknown client_id is an error page, never a redirect.
    const bad = await page.goto(authorize('nosuchclient0000000000000'));
    expect(bad?.status()).toBe(400);
    expect(new URL(page.url()).pathname).toBe('/oauth2/authorize');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Invalid request');
    expect(await page.getByRole('alert').textContent()).toBe('The client_id is not a known app client.');
    await shot(page, '13-error-unknown-client');

    // Sign in, then log out with redirect_uri: back on the login page, and no longer signed in.
    await signIn();
    const signedIn = (await context.cookies(cloud.base)).find((c) => c.name === 'cognito');
    expect(signedIn?.httpOnly).toBe(true);
    await page.goto(
      `${cloud.base}/logout?${new URLSearchParams({
        client_id: WEB_CLIENT,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid',
      })}`,
    );
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    expect((await context.cookies(cloud.base)).some((c) => c.name === 'cognito')).toBe(false);
    await shot(page, '14-logout-to-login');
    await page.goto(authorize(WEB_CLIENT));
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');

    // Signed in again, a logout with only a client_id signs out too, on Cognito's error page.
    await signIn();
    const out = await page.goto(`${cloud.base}/logout?client_id=${WEB_CLIENT}`);
    expect(out?.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toBe(
      "Required String parameter 'redirect_uri' is not present",
    );
    expect((await context.cookies(cloud.base)).some((c) => c.name === 'cognito')).toBe(false);
    await shot(page, '15-logout-without-redirect');

    // And with a registered logout_uri it redirects there. Nothing listens on it, and page.route does not see a
    // redirect of a typed-in navigation, so the browser context's own request client (same cookie jar) asks.
    await signIn();
    const toApp = await context.request.get(
      `${cloud.base}/logout?client_id=${WEB_CLIENT}&logout_uri=${encodeURIComponent(LOGOUT)}`,
      { maxRedirects: 0 },
    );
    expect(toApp.status()).toBe(302);
    expect(toApp.headers().location).toBe(LOGOUT);
    expect((await context.cookies(cloud.base)).some((c) => c.name === 'cognito')).toBe(false);
    await context.close();
  });
});
