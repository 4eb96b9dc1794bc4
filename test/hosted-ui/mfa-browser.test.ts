import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { addVirtualAuthenticator, interceptCallback, latestCode, launchChromium } from './chromium.js';
import { type HostedUiCloud, PASSWORD } from './helpers.js';
import * as pools from './stepPools.js';

/**
 * The Hosted UI's sign-in steps in Chromium: MFA after the password (TOTP set-up with its QR code, TOTP and SMS
 * codes, a wrong code), and managed login (an email code as the first factor, a passkey registered after a password
 * sign-in, then a passkey sign-in with a CDP virtual authenticator). The clock is fake, so TOTP codes are computed by
 * an independent library (otpauth) at the cloud's time, and a code step can be moved past without waiting.
 */
describe('the Hosted UI sign-in steps in Chromium', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  let cloud: HostedUiCloud;
  let browser: Browser;

  beforeAll(async () => {
    cloud = await pools.startStepCloud({
      clock,
      users: [
        [pools.MFA_POOL_ID, 'totp.user@example.com'],
        [
          pools.MFA_POOL_ID,
          'sms.user@example.com',
          { phone_number: '+15555550123', phone_number_verified: 'true' },
        ],
        [pools.PWLESS_POOL_ID, 'otp.user@example.com'],
        [pools.PWLESS_POOL_ID, 'passkey.user@example.com'],
      ],
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  const totpCode = (secret: string) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: clock.now() });

  /** A fresh browser context (no cookies) on the authorize URL, and the callback it will reach. */
  async function open(clientId: string): Promise<{ page: Page; callback: () => Promise<URL> }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const callback = await interceptCallback(page);
    await page.goto(`${cloud.base}${pools.authorizeFor(clientId)}`);
    await page.waitForURL(/\/login\?/);
    return { page, callback };
  }

  const h1 = (page: Page) => page.locator('h1').textContent();

  /** A full-page screenshot in test-artifacts/ (CI uploads them), written fresh by this run and checked as a PNG. */
  const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/hosted-ui-steps');
  const shot = async (page: Page, name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    rmSync(path, { force: true });
    const taken = await page.screenshot({ path, fullPage: true });
    const file = readFileSync(path);
    expect(file.equals(taken)).toBe(true);
    expect(file.subarray(1, 4).toString('latin1')).toBe('PNG');
  };

  it('sets up TOTP with the QR code and the secret shown, then signs in with an authenticator code', async () => {
    const email = 'totp.user@example.com';
    const first = await open(pools.MFA_CLIENT);
    await first.page.getByLabel('Email').fill(email);
    await first.page.getByLabel('Password').fill(PASSWORD);
    await first.page.getByRole('button', { name: 'Sign in' }).click();
    await first.page.waitForURL(/\/mfaSetup\?/);
    expect(await h1(first.page)).toBe('Set up an authenticator app');
    // The QR code is drawn (an inline SVG with modules), beside the secret as text and as the key URI.
    const qr = first.page.locator('svg.qr');
    expect(await qr.isVisible()).toBe(true);
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100);
    expect(await qr.locator('path').count()).toBeGreaterThan(0);
    const secret = (await first.page.locator('#totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    const uri = new URL((await first.page.locator('#totp-uri').getAttribute('href')) ?? '');
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    await shot(first.page, 'mfa-setup');

    await first.page.getByLabel('Code', { exact: true }).fill(totpCode(secret));
    await first.page.getByRole('button', { name: 'Verify and sign in' }).click();
    const reached = await first.callback();
    expect(reached.searchParams.get('code')).toBeTruthy();
    expect(reached.searchParams.get('state')).toBe('st');
    const settings = cloud.idp.service.mfa.userSettings(
      cloud.idp.service.pool(pools.MFA_POOL_ID),
      cloud.idp.service.findUser(cloud.idp.service.pool(pools.MFA_POOL_ID), email) as never,
    );
    expect(settings.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    await first.page.context().close();

    // The next sign-in asks for the code after the password; a wrong one shows Cognito's message and may be retried.
    clock.advance(30_000);
    const again = await open(pools.MFA_CLIENT);
    await again.page.getByLabel('Email').fill(email);
    await again.page.getByLabel('Password').fill(PASSWORD);
    await again.page.getByRole('button', { name: 'Sign in' }).click();
    await again.page.waitForURL(/\/mfa\?/);
    expect(await h1(again.page)).toBe('Enter your authenticator code');
    const right = totpCode(secret);
    await again.page.getByLabel('Code', { exact: true }).fill(right === '000000' ? '111111' : '000000');
    await again.page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => again.page.getByRole('alert').textContent())
      .toBe('Invalid code received for user');
    await again.page.getByLabel('Code', { exact: true }).fill(right);
    await again.page.getByRole('button', { name: 'Sign in' }).click();
    expect((await again.callback()).searchParams.get('code')).toBeTruthy();
    await again.page.context().close();
  });

  it('signs in with an SMS code read from the outbox, addressed to the phone number', async () => {
    const { page, callback } = await open(pools.MFA_CLIENT);
    await page.getByLabel('Email').fill('sms.user@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/mfa\?/);
    expect(await h1(page)).toBe('Enter the code we texted you');
    expect(await page.locator('.intro').textContent()).toContain('+*******0123');
    await page
      .getByLabel('Code', { exact: true })
      .fill(await latestCode(cloud.idp.urls.inboxUrl, '+15555550123', 6));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await callback()).searchParams.get('code')).toBeTruthy();
    await page.context().close();
  });

  it('signs in passwordless with an 8-digit email code chosen after the username (managed login)', async () => {
    const email = 'otp.user@example.com';
    const { page, callback } = await open(pools.PWLESS_CLIENT);
    expect(await page.getByLabel('Password').count()).toBe(0);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/selectChallenge\?/);
    expect(await h1(page)).toBe('Choose how to sign in');
    await shot(page, 'select-challenge');
    // This user has no phone and no passkey: those are not offered.
    expect(await page.getByRole('button', { name: 'Text me a sign-in code' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in with a passkey' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    await page.waitForURL(/\/mfa\?/);
    expect(await h1(page)).toBe('Enter the code we emailed you');
    await page.getByLabel('Code', { exact: true }).fill(await latestCode(cloud.idp.urls.inboxUrl, email, 8));
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Passkeys are offered after a sign-in without one; "Not now" goes on to the client.
    await page.waitForURL(/\/passkeyRegistration\?/);
    await page.getByRole('button', { name: 'Not now' }).click();
    expect((await callback()).searchParams.get('code')).toBeTruthy();
    expect(
      cloud.idp.service.webAuthn.count(cloud.idp.service.pool(pools.PWLESS_POOL_ID), userOf(email)),
    ).toBe(0);
    await page.context().close();
  });

  const userOf = (email: string) => {
    const pool = cloud.idp.service.pool(pools.PWLESS_POOL_ID);
    const user = cloud.idp.service.findUser(pool, email);
    if (!user) throw new Error(`no user ${email}`);
    return user;
  };

  it('registers a passkey after a password sign-in, then signs in with it (virtual authenticator)', async () => {
    const email = 'passkey.user@example.com';
    const { page, callback } = await open(pools.PWLESS_CLIENT);
    await addVirtualAuthenticator(page);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/selectChallenge\?/);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    await page.waitForURL(/\/passkeyRegistration\?/);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    expect((await callback()).searchParams.get('code')).toBeTruthy();
    const pool = cloud.idp.service.pool(pools.PWLESS_POOL_ID);
    const listed = cloud.idp.service.webAuthn.list(pool, userOf(email));
    expect(listed.Credentials).toHaveLength(1);
    expect(listed.Credentials[0]?.RelyingPartyId).toBe('localhost');

    // Signed out (cookies cleared), the same browser signs in with the passkey alone.
    await page.context().clearCookies();
    await page.goto(`${cloud.base}${pools.authorizeFor(pools.PWLESS_CLIENT, 'again')}`);
    await page.waitForURL(/\/login\?/);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/selectChallenge\?/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(/\/passkey\?/);
    // A forged answer is refused with Cognito's message, and a fresh challenge lets the real passkey still sign in.
    const forged = JSON.stringify({
      id: 'forged',
      rawId: 'forged',
      type: 'public-key',
      response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
      clientExtensionResults: {},
    });
    // Written as a string: the tests compile without the DOM types.
    await page.evaluate(
      `(() => { const f = document.querySelector('form'); f.querySelector('input[name="credential"]').value = ${JSON.stringify(forged)}; f.submit(); })()`,
    );
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Incorrect username or passkey.');
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    const reached = await callback();
    expect(reached.searchParams.get('state')).toBe('again');
    expect(reached.searchParams.get('code')).toBeTruthy();
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
