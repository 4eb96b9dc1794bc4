import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { latestCode } from './chromium.js';
import { CALLBACK, callbackParams, FormBrowser, type HostedUiCloud, PASSWORD } from './helpers.js';
import * as pools from './stepPools.js';

const PHONE = '+15555550100';

/**
 * The sign-in steps over plain HTTP (FormBrowser): the challenge state stays on the server, wrong codes and their
 * limit, the MFA type choice, expiry, CSRF, and the page script under the CSP.
 */
describe('Hosted UI sign-in steps over HTTP', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  let cloud: HostedUiCloud;

  beforeAll(async () => {
    const phone = { phone_number: PHONE, phone_number_verified: 'true' };
    cloud = await pools.startStepCloud({
      clock,
      users: [
        [pools.MFA_POOL_ID, 'sms1@example.com', phone],
        [pools.MFA_POOL_ID, 'sms2@example.com', phone],
        [pools.MFA_POOL_ID, 'both@example.com', phone],
        [pools.PWLESS_POOL_ID, 'pat@example.com', phone],
      ],
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  /** Signs in with the password on the MFA pool and lands on the step it leads to. */
  async function toStep(email: string): Promise<{ browser: FormBrowser; path: string }> {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(pools.authorizeFor(pools.MFA_CLIENT), email, PASSWORD);
    expect(res.status).toBe(302);
    const path = new URL(res.headers.get('location') ?? '', cloud.base).pathname;
    const page = await browser.get(res.headers.get('location') ?? '');
    expect(page.status).toBe(200);
    return { browser, path };
  }

  it('keeps the challenge on the server: the page carries no Session, and another browser cannot answer it', async () => {
    const { browser, path } = await toStep('sms1@example.com');
    expect(path).toBe('/mfa');
    const hidden = [...browser.lastHtml.matchAll(/type="hidden" name="([^"]+)"/g)].map((m) => m[1]);
    expect(hidden).toEqual(['_csrf']);
    const code = await latestCode(cloud.idp.urls.inboxUrl, PHONE, 6);

    const stranger = new FormBrowser(cloud.base);
    const away = await stranger.get(browser.url(browser.form().action));
    expect(away.status).toBe(302);
    expect(new URL(away.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
    await stranger.follow(pools.authorizeFor(pools.MFA_CLIENT));
    const refused = await stranger.post(browser.form().action, { _csrf: stranger.form().csrf, code });
    expect(refused.status).toBe(400);
    expect(stranger.lastHtml).toContain('Your sign-in has expired');

    // Without the CSRF field the post is refused before anything else.
    const forged = await browser.post(browser.form().action, { code });
    expect(forged.status).toBe(403);

    const done = await browser.submit({ code });
    expect(done.status).toBe(302);
    expect(callbackParams(done).get('code')).toBeTruthy();
  });

  it("shows Cognito's message for each wrong code, and after five the sign-in must start again", async () => {
    const { browser } = await toStep('sms2@example.com');
    const code = await latestCode(cloud.idp.urls.inboxUrl, PHONE, 6);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await browser.submit({ code: wrong });
      expect(res.status).toBe(400);
      expect(browser.lastHtml).toContain('Invalid code received for user');
    }
    const late = await browser.submit({ code });
    expect(late.status).toBe(400);
    expect(browser.lastHtml).toContain('Invalid session for the user, session is expired.');
  });

  it('lets a user with two factors choose one (SELECT_MFA_TYPE), and the code it leads to can be exchanged', async () => {
    const { service } = cloud.idp;
    const pool = service.pool(pools.MFA_POOL_ID);
    const user = service.findUser(pool, 'both@example.com');
    if (!user) throw new Error('no user');
    const { SecretCode } = service.mfa.associate({ pool, user });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SecretCode) });
    service.mfa.verify({ pool, user }, totp.generate({ timestamp: clock.now() }));
    service.mfa.setPreference(pool, user, {
      SMS_MFA: { Enabled: true },
      SOFTWARE_TOKEN_MFA: { Enabled: true },
    });

    const { browser, path } = await toStep('both@example.com');
    expect(path).toBe('/selectMfaType');
    expect(browser.lastHtml).toContain('Authenticator app');
    expect(browser.lastHtml).toContain('Text message (SMS)');
    const bogus = await browser.submit({ mfa: 'EMAIL_OTP' });
    expect(bogus.status).toBe(400);
    expect(browser.lastHtml).toContain('Choose one of the ways offered.');
    const chosen = await browser.submit({ mfa: 'SMS_MFA' });
    expect(new URL(chosen.headers.get('location') ?? '', cloud.base).pathname).toBe('/mfa');
    await browser.get(chosen.headers.get('location') ?? '');
    expect(browser.lastHtml).toContain('Enter the code we texted you');
    const done = await browser.submit({ code: await latestCode(cloud.idp.urls.inboxUrl, PHONE, 6) });
    const code = callbackParams(done).get('code') as string;

    const token = await fetch(`${cloud.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: pools.MFA_CLIENT,
        code,
        redirect_uri: CALLBACK,
      }).toString(),
    });
    expect(token.status).toBe(200);
    const { id_token } = (await token.json()) as { id_token: string };
    expect(decodeJwt(id_token).email).toBe('both@example.com');
  });

  it('ends a challenge with its 3-minute Session: the code page then sends the browser back to sign in', async () => {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(pools.authorizeFor(pools.MFA_CLIENT), 'sms1@example.com', PASSWORD);
    const location = res.headers.get('location') ?? '';
    expect(new URL(location, cloud.base).pathname).toBe('/mfa');
    clock.advance(3 * 60_000 + 1000);
    const later = await browser.get(location);
    expect(later.status).toBe(302);
    expect(new URL(later.headers.get('location') ?? '', cloud.base).pathname).toBe('/login');
  });

  it('serves the passkey page script by its CSP hash, with no unsafe-inline anywhere', async () => {
    const browser = new FormBrowser(cloud.base);
    await browser.follow(pools.authorizeFor(pools.PWLESS_CLIENT));
    expect(browser.lastHtml).not.toContain('name="password"');
    const next = await browser.submit({ username: 'pat@example.com' });
    expect(new URL(next.headers.get('location') ?? '', cloud.base).pathname).toBe('/selectChallenge');
    await browser.get(next.headers.get('location') ?? '');
    // pat has an email and a phone, and no passkey yet.
    expect(browser.lastHtml).toContain('Email me a sign-in code');
    expect(browser.lastHtml).toContain('Text me a sign-in code');
    expect(browser.lastHtml).not.toContain('Sign in with a passkey');
    const wrongPassword = await browser.submit({ password: 'Not-the-password-1' });
    expect(wrongPassword.status).toBe(400);
    expect(browser.lastHtml).toContain('Incorrect username or password.');
    const signedIn = await browser.submit({ password: PASSWORD });
    const offer = await browser.get(signedIn.headers.get('location') ?? '');
    expect(new URL(offer.url).pathname).toBe('/passkeyRegistration');
    const csp = offer.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
    const script = /<script>([\s\S]*?)<\/script>/.exec(browser.lastHtml)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash}`);
    const options = JSON.parse(
      (/data-options="([^"]*)"/.exec(browser.lastHtml)?.[1] ?? '')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ) as { rp: { id: string } };
    expect(options.rp.id).toBe('localhost');
    // "Not now" goes on to the client.
    const skipped = await browser.submit({ skip: '1' });
    expect(callbackParams(skipped).get('code')).toBeTruthy();
  });
});

describe('the passkey offer on a Hosted UI served from an IP address', () => {
  let cloud: HostedUiCloud;
  beforeAll(async () => {
    cloud = await pools.startStepCloud({
      users: [[pools.PWLESS_POOL_ID, 'ip@example.com']],
      localhost: false,
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('is left out when the page could not use the relying party (localhost) from 127.0.0.1', async () => {
    expect(cloud.base).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const browser = new FormBrowser(cloud.base);
    const done = await browser.signIn(pools.authorizeFor(pools.PWLESS_CLIENT), 'ip@example.com', PASSWORD);
    expect(done.status).toBe(302);
    expect(callbackParams(done).get('code')).toBeTruthy();
    const offer = await browser.get(
      `/passkeyRegistration${new URL(pools.authorizeFor(pools.PWLESS_CLIENT), cloud.base).search}`,
    );
    expect(offer.headers.get('location')?.startsWith(CALLBACK)).toBe(true);
  });
});
