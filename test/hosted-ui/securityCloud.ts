import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import {
  CALLBACK,
  callbackParams,
  FormBrowser,
  type HostedUiCloud,
  PASSWORD,
  startHostedUiCloud,
  WEB_CLIENT,
} from './helpers.js';

/** `/oauth2/authorize?…` for the demo's web client (code flow, `openid email`), with `params` on top. */
export const authorizeUrl = (params: Record<string, string>) =>
  `/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: WEB_CLIENT,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    ...params,
  })}`;

/** What the security-*.test.ts files share: one cloud on a fake clock, its log lines, a user, and request helpers. */
export interface SecurityCloud {
  readonly clock: FakeClock;
  /** Every line the Hosted UI logged (debug level), to check that no secret reaches the log. */
  readonly logLines: string[];
  /** A confirmed user with helpers.PASSWORD. */
  readonly email: string;
  /** The running cloud (set once the suite's beforeAll ran). */
  readonly cloud: HostedUiCloud;
  basic(id: string, secret: string): string;
  /** POSTs a form to /oauth2/token. */
  token(body: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** Basic authentication of the web client. */
  webAuth(): { authorization: string };
  /** Signs `user` in through the Hosted UI and returns the authorization code of the callback. */
  codeFor(params?: Record<string, string>, user?: string): Promise<string>;
}

/**
 * Starts the cloud for the enclosing describe block (beforeAll) and stops it after (afterAll): a fake clock at
 * 2026-06-01, a debug log captured in memory, a login throttle of 25 a minute, and the user grace@example.com.
 */
export function useSecurityCloud(): SecurityCloud {
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  const logLines: string[] = [];
  const email = 'grace@example.com';
  let cloud: HostedUiCloud | undefined;
  const running = (): HostedUiCloud => {
    if (!cloud) throw new Error('the security cloud has not started');
    return cloud;
  };
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

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

  return {
    clock,
    logLines,
    email,
    get cloud() {
      return running();
    },
    basic,
    token: (body, headers = {}) =>
      fetch(`${running().base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      }),
    webAuth: () => ({ authorization: basic(WEB_CLIENT, running().secret(WEB_CLIENT)) }),
    async codeFor(params = {}, user = email) {
      const res = await new FormBrowser(running().base).signIn(authorizeUrl(params), user, PASSWORD);
      expect(res.status).toBe(302);
      return callbackParams(res).get('code') as string;
    },
  };
}
