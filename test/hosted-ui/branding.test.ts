import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateManagedLoginBrandingCommand,
  SetUICustomizationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from './brandingImages.js';
import {
  CALLBACK,
  type HostedUiCloud,
  POOL_ID,
  PUBLIC_CLIENT,
  startHostedUiCloud,
  WEB_CLIENT,
} from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

/** The slices of the page's DOM the tests read, typed here since the tests are compiled without the DOM library. */
interface BrowserGlobals {
  getComputedStyle(el: unknown): { getPropertyValue(p: string): string };
}
interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  src: string;
}
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/hosted-ui');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The classic customization of the README's screenshot (`npm run docs:screenshot` copies it to docs/). */
const CSS = `
.background-customizable { background-color: #fff8f0 }
.banner-customizable { padding: 8px 0px 8px 0px; background-color: #fff8f0 }
.submitButton-customizable { background-color: #c0392b; color: #ffffff; font-size: 17px }
.submitButton-customizable:hover { background-color: #922b21 }
.inputField-customizable { background-color: #ffffff; border: 2px solid #e6b0aa }
.inputField-customizable:focus { border-color: #c0392b; outline: 2px solid #e6b0aa }
.label-customizable { font-weight: 700 }
.logo-customizable { max-width: 60%; max-height: 100% }
`;

/** A 240 × 80 logo: a warm diagonal gradient with a white band, so it is seen in the screenshot. */
const LOGO = png(240, 80, (x, y) =>
  Math.abs(y - 40) < 6
    ? [255, 255, 255]
    : [192 - Math.floor(x / 6), 57 + Math.floor(y / 2), 43 + Math.floor(x / 4)],
);

const loginUrl = (base: string, clientId: string) =>
  `${base}/login?client_id=${clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(CALLBACK)}`;

/**
 * A branded Hosted UI in Chromium: a CSS + logo customization set through the SDK v3 shows on /login (the computed
 * style of the customized classes, the logo decoded by the browser), under the pages' CSP (no 'unsafe-inline'), and
 * a managed login style's colours show for its client. The screenshot is checked as a fresh PNG. No skip: without
 * /usr/bin/chromium the launch fails and so does the test.
 */
describe('the branded Hosted UI in Chromium', () => {
  let cloud: HostedUiCloud;
  let browser: Browser;
  let sdk: CognitoIdentityProviderClient;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    cloud = await startHostedUiCloud();
    sdk = new CognitoIdentityProviderClient({
      endpoint: cloud.idp.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    sdk?.destroy();
    await cloud?.stop();
  });

  /** Opens a page and collects the console's CSP complaints (a blocked style or image would show there). */
  const open = async (url: string) => {
    const page = await browser.newPage({ viewport: { width: 720, height: 640 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(url);
    return { page, res, violations };
  };

  const computed = (page: Page, selector: string, property: string) =>
    page.$eval(
      selector,
      // Runs in the page (the tests are typed without the DOM library).
      (el, p) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).getPropertyValue(p),
      property,
    );

  it('shows the client’s CSS and logo on /login, and the screenshot is a fresh PNG', async () => {
    const started = Date.now();
    await sdk.send(
      new SetUICustomizationCommand({ UserPoolId: POOL_ID, ClientId: WEB_CLIENT, CSS, ImageFile: LOGO }),
    );
    const { page, res, violations } = await open(loginUrl(cloud.base, WEB_CLIENT));
    try {
      const csp = res?.headers()['content-security-policy'] ?? '';
      expect(csp).toMatch(/style-src 'sha256-[^']+' 'sha256-[^']+'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(await computed(page, '.submitButton-customizable', 'background-color')).toBe('rgb(192, 57, 43)');
      expect(await computed(page, '.submitButton-customizable', 'font-size')).toBe('17px');
      expect(await computed(page, '.label-customizable', 'font-weight')).toBe('700');
      expect(await computed(page, '.background-customizable', 'background-color')).toBe('rgb(255, 248, 240)');
      const logo = await page.$eval('img.logo-customizable', (img) => {
        const i = img as unknown as LoadedImage;
        return { complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, src: i.src };
      });
      expect(logo).toMatchObject({ complete: true, width: 240, height: 80 });
      expect(logo.src.startsWith(`${cloud.base}/branding/${POOL_ID}/${WEB_CLIENT}/`)).toBe(true);
      expect(violations).toEqual([]);

      const path = join(ARTIFACTS, 'branded-login.png');
      rmSync(path, { force: true });
      const taken = await page.screenshot({ path });
      const file = readFileSync(path);
      expect(file.equals(taken)).toBe(true);
      expect(statSync(path).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(file.toString('latin1', 12, 16)).toBe('IHDR');
      expect([file.readUInt32BE(16), file.readUInt32BE(20)]).toEqual([720, 640]);
      expect(file.length).toBeGreaterThan(5000);
    } finally {
      await page.close();
    }
  });

  it('leaves a client without a customization unbranded, with the plain CSP', async () => {
    const { page, res } = await open(loginUrl(cloud.base, PUBLIC_CLIENT));
    try {
      expect(res?.headers()['content-security-policy']).toMatch(/style-src 'sha256-[^' ]+'; /);
      expect(await page.$('img.logo-customizable')).toBeNull();
      expect(await computed(page, '.submitButton-customizable', 'background-color')).not.toBe(
        'rgb(192, 57, 43)',
      );
    } finally {
      await page.close();
    }
  });

  it('shows a managed login style’s colours and its form logo for its client', async () => {
    await sdk.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: POOL_ID,
        ClientId: PUBLIC_CLIENT,
        Settings: {
          components: {
            pageBackground: { lightMode: { color: '1e3a5fff' } },
            form: { lightMode: { backgroundColor: 'f0f4f8ff' }, borderRadius: 2 },
            primaryButton: {
              lightMode: { defaults: { backgroundColor: '2e7d32ff', textColor: 'ffffffff' } },
            },
            pageText: { lightMode: { headingColor: '1e3a5fff' } },
          },
        },
        Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: LOGO }],
      }),
    );
    const { page, violations } = await open(loginUrl(cloud.base, PUBLIC_CLIENT));
    try {
      expect(await computed(page, 'body', 'background-color')).toBe('rgb(30, 58, 95)');
      expect(await computed(page, 'main', 'background-color')).toBe('rgb(240, 244, 248)');
      expect(await computed(page, 'main', 'border-radius')).toBe('2px');
      expect(await computed(page, '.submitButton-customizable', 'background-color')).toBe('rgb(46, 125, 50)');
      expect(await computed(page, 'h1', 'color')).toBe('rgb(30, 58, 95)');
      expect(
        await page.$eval('img.logo-customizable', (i) => (i as unknown as LoadedImage).naturalWidth),
      ).toBe(240);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('serves a logo with the pages’ CSP and nosniff, and 404s an unknown one', async () => {
    const url = `${cloud.base}/branding/${POOL_ID}/${WEB_CLIENT}/logo-1`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(Buffer.from(await res.arrayBuffer()).equals(LOGO)).toBe(true);
    expect((await fetch(`${cloud.base}/branding/${POOL_ID}/nobody/logo-1`)).status).toBe(404);
  });
});
