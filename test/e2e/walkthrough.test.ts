import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { launchChromium } from '../hosted-ui/chromium.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/walkthrough');

/**
 * The README's walkthrough of the original demo, as one test on `npm start`'s own stack: the Hosted UI in Chromium
 * (sign up, mailed code, confirm), the callback with ?code=, the Basic-auth code exchange, then the API call with the
 * access token through the JWT authorizer. No skip: without /usr/bin/chromium the launch fails and so does the test.
 */
describe('the original demo, offline, from npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-walkthrough-'));
  let cloud: RunningCloud;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    cloud = await startLocalCloud(dataDir);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes from the Hosted UI to a token to an authorized API call', async () => {
    const pool = cloud.endpoints.userPools[0];
    const client = pool?.clients[0];
    const callbackUrl = client?.callbackUrls[0];
    if (!pool?.hostedUiUrl || !client?.secret || !callbackUrl)
      throw new Error('the stack has no Hosted UI client');
    const email = 'walkthrough@example.com';

    const page = await browser.newPage();
    let callback: URL | undefined;
    // Nothing listens on the app's callback URL: the browser's request to it is answered and recorded here.
    await page.route(
      (url) => url.href.startsWith(`${callbackUrl}?`),
      async (route) => {
        callback = new URL(route.request().url());
        await route.fulfill({
          status: 200,
          contentType: 'text/html',
          body: '<h1>The app received its code</h1>',
        });
      },
    );

    // 1-2. Open the Hosted UI and register.
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.id,
      redirect_uri: callbackUrl,
      scope: 'openid email profile',
    });
    await page.goto(`${pool.hostedUiUrl}/oauth2/authorize?${q}`);
    await page.screenshot({ path: join(ARTIFACTS, '01-login.png') });
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Walk-Through-42');
    await page.screenshot({ path: join(ARTIFACTS, '02-signup.png') });
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/confirmUser\?/);

    // 3. The code arrives by mail (the local inbox); confirm.
    await page.getByLabel('Verification code').fill(await latestCode(cloud.endpoints.inboxUrl, email));
    await page.screenshot({ path: join(ARTIFACTS, '03-confirm.png') });
    await page.getByRole('button', { name: 'Confirm account' }).click();

    // 4. Redirected to the callback with ?code=.
    await expect.poll(() => callback?.searchParams.get('code') ?? null, { timeout: 15_000 }).not.toBeNull();
    const code = callback?.searchParams.get('code') as string;

    // 5-6. Exchange it with client_secret_basic, form-encoded, as the original demo did.
    const tokenRes = await fetch(`${pool.hostedUiUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: client.id,
        code,
        redirect_uri: callbackUrl,
      }),
    });
    expect(tokenRes.status).toBe(200);
    const tokens = (await tokenRes.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(typeof tokens.refresh_token).toBe('string');
    expect(typeof tokens.id_token).toBe('string');

    // 7. Call the API with the token: the JWT authorizer lets it through to the Lambda function.
    const api = cloud.endpoints.apis[0]?.url;
    const res = await fetch(`${api}/person`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message: string; caller: { email?: string; scopes: string[] } };
    expect(body.message).toBe('[GET METHOD]Hello,world');
    expect(body.caller.scopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));

    // The id token carries aud = the client id, which is the authorizer's audience too.
    const withId = await fetch(`${api}/person`, { headers: { authorization: tokens.id_token as string } });
    expect(withId.status).toBe(200);
    expect(((await withId.json()) as { caller: { email?: string } }).caller.email).toBe(email);
    await page.close();
  });
});
