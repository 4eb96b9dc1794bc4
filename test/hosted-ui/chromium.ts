import { type Browser, chromium, type Page } from 'playwright-core';
import { CALLBACK } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless. No skip: without /usr/bin/chromium the launch fails and so does the test. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });

/**
 * Nothing listens on the callback: the browser's request to it is answered here. The function returned waits for the
 * next arrival there and gives its URL.
 */
export async function interceptCallback(page: Page): Promise<() => Promise<URL>> {
  let resolve: (u: URL) => void = () => {};
  let seen = new Promise<URL>((r) => {
    resolve = r;
  });
  await page.route(
    (url) => url.href.startsWith(`${CALLBACK}?`),
    async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>Callback</title>',
      });
    },
  );
  return async () => {
    const url = await seen;
    // The page has arrived there too, so nothing of this navigation is still under way.
    await page.waitForURL((u) => u.href.startsWith(`${CALLBACK}?`));
    seen = new Promise<URL>((r) => {
      resolve = r;
    });
    return url;
  };
}

/** Adds a CTAP2 platform authenticator (resident keys, user verification) to the page through CDP. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** The newest message to `to` in the local outbox (mail or SMS), and the first run of `digits` digits in it. */
export async function latestCode(inboxUrl: string, to: string, digits: number): Promise<string> {
  const res = await fetch(`${inboxUrl}?to=${encodeURIComponent(to)}`);
  const [newest] = (await res.json()) as { text: string }[];
  const m = newest && new RegExp(`\\b(\\d{${digits}})\\b`).exec(newest.text);
  if (!m?.[1]) throw new Error(`no ${digits}-digit code sent to ${to}`);
  return m[1];
}
