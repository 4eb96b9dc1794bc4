import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import {
  CALLBACK,
  callbackParams,
  FormBrowser,
  type HostedUiCloud,
  PASSWORD,
  PLAIN_CLIENT,
  PLAIN_POOL_ID,
  POOL_ID,
  PUBLIC_CLIENT,
  startHostedUiCloud,
  WEB_CLIENT,
} from './helpers.js';

const authorizeUrl = (clientId = WEB_CLIENT) =>
  `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: 'page-state',
  })}`;

describe('Hosted UI pages: sign-up, confirmation and password reset', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  let cloud: HostedUiCloud;

  const inboxCode = async (to: string) => {
    const res = await fetch(`${cloud.idp.urls.inboxUrl}?to=${encodeURIComponent(to)}`);
    const [newest] = (await res.json()) as { text: string }[];
    const code = newest && /\b(\d{6})\b/.exec(newest.text)?.[1];
    if (!code) throw new Error(`no code for ${to}`);
    return code;
  };
  const exchange = async (code: string) => {
    const res = await fetch(`${cloud.base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${WEB_CLIENT}:${cloud.secret(WEB_CLIENT)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT,
        code,
        redirect_uri: CALLBACK,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    cloud = await startHostedUiCloud({ clock });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('shows the client’s name, labelled fields with autocomplete hints and an aria-live error region', async () => {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.follow(authorizeUrl());
    expect(res.status).toBe(200);
    const html = browser.lastHtml;
    expect(html).toContain('Demo web app');
    expect(html).toMatch(
      /<label class="label-customizable" for="f-username">Email<\/label><input id="f-username" class="inputField-customizable" name="username" type="email" autocomplete="username"/,
    );
    expect(html).toMatch(
      /<label class="label-customizable" for="f-password">Password<\/label><input id="f-password" class="inputField-customizable" name="password" type="password" autocomplete="current-password"/,
    );
    expect(html).toContain('aria-live="assertive"');
    expect(html).toContain('<html lang="en">');
  });

  it('asks a plain-username pool for its required attributes by name, and shows the pool’s name and policy', async () => {
    const browser = new FormBrowser(cloud.base);
    await browser.follow(
      `/signup?${new URLSearchParams({ response_type: 'code', client_id: PLAIN_CLIENT, redirect_uri: CALLBACK, scope: 'openid profile' })}`,
    );
    const html = browser.lastHtml;
    expect(html).toContain('Plain pool');
    expect(html).toContain('<label class="label-customizable" for="f-username">Username</label>');
    expect(html).toContain(
      '<label class="label-customizable" for="f-name">Full name</label><input id="f-name" class="inputField-customizable" name="name" type="text" autocomplete="name"',
    );
    expect(html).toContain(
      '<label class="label-customizable" for="f-email">Email</label><input id="f-email" class="inputField-customizable" name="email" type="email" autocomplete="email"',
    );
    expect(html).toContain(
      'At least 10 characters, with a lowercase letter, an uppercase letter and a number.',
    );

    const missing = await browser.submit({
      username: 'linus',
      email: 'linus@example.com',
      password: 'Longpassword1',
    });
    expect(missing.status).toBe(400);
    expect(browser.lastHtml).toContain('name: The attribute is required');

    const ok = await browser.submit({
      username: 'linus',
      name: 'Linus T',
      email: 'linus@example.com',
      password: 'Longpassword1',
    });
    expect(ok.status).toBe(302);
    await browser.follow(ok.headers.get('location') ?? '');
    expect(browser.lastHtml).toContain('finish creating the account linus');
    const done = await browser.submit({ code: await inboxCode('linus@example.com') });
    expect(callbackParams(done).get('code')).toBeTruthy();
    const user = cloud.idp.service.accounts.adminGetUser(PLAIN_POOL_ID, 'linus');
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'name', Value: 'Linus T' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
  });

  it('accepts the sign-up form as Cognito’s Hosted UI posts it, with requiredAttributes[name] fields', async () => {
    const browser = new FormBrowser(cloud.base);
    await browser.follow(
      `/signup?${new URLSearchParams({ response_type: 'code', client_id: PLAIN_CLIENT, redirect_uri: CALLBACK, scope: 'openid profile' })}`,
    );
    const res = await browser.submit({
      username: 'ada',
      password: 'Longpassword1',
      'requiredAttributes[name]': 'Ada Lovelace',
      'requiredAttributes[email]': 'ada@example.com',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '', cloud.base).pathname).toBe('/confirmUser');
    const user = cloud.idp.service.accounts.adminGetUser(PLAIN_POOL_ID, 'ada');
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'name', Value: 'Ada Lovelace' },
        { Name: 'email', Value: 'ada@example.com' },
      ]),
    );
    // The code went to the email given that way, and confirming signs the browser in.
    await browser.follow(res.headers.get('location') ?? '');
    const done = await browser.submit({ code: await inboxCode('ada@example.com') });
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it('signs up, confirms with the mailed code and lands on the callback signed in', async () => {
    const email = 'new.user@example.com';
    const browser = new FormBrowser(cloud.base);
    await browser.follow(authorizeUrl());
    await browser.get(browser.form().action.replace('/login', '/signup'));
    const weak = await browser.submit({ username: email, password: 'short' });
    expect(weak.status).toBe(400);
    expect(browser.lastHtml).toContain('Password did not conform with policy: Password not long enough');
    expect(browser.lastHtml).toContain(`value="${email}"`);

    const signedUp = await browser.submit({ username: email, password: PASSWORD });
    expect(signedUp.status).toBe(302);
    const confirmPage = await browser.follow(signedUp.headers.get('location') ?? '');
    expect(confirmPage.status).toBe(200);
    expect(browser.lastHtml).toContain('We have sent a code');

    const wrong = await browser.submit({ code: '000000' === (await inboxCode(email)) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(browser.lastHtml).toContain('Invalid verification code provided, please try again.');

    const done = await browser.submit({ code: await inboxCode(email) });
    expect(done.status).toBe(302);
    const params = callbackParams(done);
    expect(params.get('state')).toBe('page-state');
    const tokens = await exchange(params.get('code') as string);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
  });

  it('sends a confirmation from another browser to the login page instead of signing it in', async () => {
    const email = 'other.browser@example.com';
    const signer = new FormBrowser(cloud.base);
    await signer.follow(authorizeUrl());
    await signer.get(signer.form().action.replace('/login', '/signup'));
    const signedUp = await signer.submit({ username: email, password: PASSWORD });
    const confirmUrl = signedUp.headers.get('location') ?? '';

    const stranger = new FormBrowser(cloud.base);
    await stranger.follow(confirmUrl);
    const res = await stranger.submit({ code: await inboxCode(email) });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location') ?? '', cloud.base);
    expect(loc.pathname).toBe('/login');
    expect(loc.searchParams.get('notice')).toBe('confirmed');
    await stranger.get(loc.toString());
    expect(stranger.lastHtml).toContain('Your account is confirmed.');
    const signedIn = await stranger.submit({ username: email, password: PASSWORD });
    expect(callbackParams(signedIn).get('code')).toBeTruthy();
  });

  it('sends an unconfirmed user who signs in to the confirmation page with a fresh code', async () => {
    const email = 'late.confirmer@example.com';
    await cloud.idp.service.accounts.signUp(cloud.idp.service.client(WEB_CLIENT), {
      username: email,
      password: PASSWORD,
      attributes: {},
    });
    const first = await inboxCode(email);
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(authorizeUrl(), email, PASSWORD);
    expect(new URL(res.headers.get('location') ?? '', cloud.base).pathname).toBe('/confirmUser');
    const fresh = await inboxCode(email);
    await browser.follow(res.headers.get('location') ?? '');
    // A new code replaces the old one unless the draw repeats it.
    if (fresh !== first) {
      const stale = await browser.submit({ code: first });
      expect(await stale.text()).toContain('Invalid verification code');
    }
    const done = await browser.submit({ code: fresh });
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it('shows an expired sign-up code in place', async () => {
    const email = 'slow.user@example.com';
    const browser = new FormBrowser(cloud.base);
    await browser.follow(authorizeUrl());
    await browser.get(browser.form().action.replace('/login', '/signup'));
    const signedUp = await browser.submit({ username: email, password: PASSWORD });
    await browser.follow(signedUp.headers.get('location') ?? '');
    const code = await inboxCode(email);
    clock.advance(24 * 3600_000 + 1000);
    const res = await browser.submit({ code });
    expect(res.status).toBe(400);
    expect(browser.lastHtml).toContain('Invalid code provided, please request a code again.');
    const resent = await browser.submit({ resend: '1' });
    expect(resent.status).toBe(200);
    expect(browser.lastHtml).toContain('We have sent you a new code.');
  });

  it('resets a forgotten password with the mailed code, then signs in with the new one', async () => {
    const email = 'forgetful@example.com';
    await cloud.createUser(email);
    const browser = new FormBrowser(cloud.base);
    await browser.follow(authorizeUrl());
    await browser.get(browser.form().action.replace('/login', '/forgotPassword'));
    const sent = await browser.submit({ username: email });
    expect(sent.status).toBe(302);
    await browser.follow(sent.headers.get('location') ?? '');
    const weak = await browser.submit({ code: await inboxCode(email), password: 'weak' });
    expect(weak.status).toBe(400);
    expect(browser.lastHtml).toContain('Password did not conform with policy');
    const changed = await browser.submit({ code: await inboxCode(email), password: 'Brand-new-Pass-7' });
    expect(changed.status).toBe(302);
    await browser.follow(changed.headers.get('location') ?? '');
    expect(browser.lastHtml).toContain('Your password has been changed.');
    const signedIn = await browser.submit({ username: email, password: 'Brand-new-Pass-7' });
    expect(callbackParams(signedIn).get('code')).toBeTruthy();
  });

  it('makes a user with a temporary password choose a new one, then completes the sign-in', async () => {
    const email = 'invited@example.com';
    await cloud.idp.service.accounts.adminCreateUser(cloud.idp.service.pool(POOL_ID).id, {
      username: email,
      attributes: { email, email_verified: 'true' },
      temporaryPassword: 'Temp-Pass-123',
      messageAction: 'SUPPRESS',
    });
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(authorizeUrl(), email, 'Temp-Pass-123');
    const next = new URL(res.headers.get('location') ?? '', cloud.base);
    expect(next.pathname).toBe('/forceChangePassword');
    await browser.follow(next.toString());
    expect(browser.lastHtml).toContain('Change your password');
    const weak = await browser.submit({ password: 'weak' });
    expect(weak.status).toBe(400);
    expect(browser.lastHtml).toContain('Password did not conform with policy');
    const done = await browser.submit({ password: 'Permanent-Pass-4' });
    expect(callbackParams(done).get('code')).toBeTruthy();
    expect(cloud.idp.service.accounts.adminGetUser(POOL_ID, email).UserStatus).toBe('CONFIRMED');

    const stranger = new FormBrowser(cloud.base);
    const page = await stranger.get(next.toString());
    expect(new URL(page.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
  });

  it('does not reveal an unknown user on password reset when PreventUserExistenceErrors is ENABLED', async () => {
    const browser = new FormBrowser(cloud.base);
    await browser.follow(authorizeUrl());
    await browser.get(browser.form().action.replace('/login', '/forgotPassword'));
    const res = await browser.submit({ username: 'ghost@example.com' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '', cloud.base).pathname).toBe('/confirmForgotPassword');

    const legacy = new FormBrowser(cloud.base);
    await legacy.follow(authorizeUrl(PUBLIC_CLIENT));
    await legacy.get(legacy.form().action.replace('/login', '/forgotPassword'));
    const shown = await legacy.submit({ username: 'ghost@example.com' });
    expect(shown.status).toBe(400);
    expect(legacy.lastHtml).toContain('Username/client id combination not found.');
  });
});
