import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrls } from '../../src/config/index.js';
import { listenHttp, startHostedUiServer } from '../../src/services/cognito-idp/hosted-ui/index.js';
import { type StartedIdp, startIdp } from '../../src/services/cognito-idp/index.js';
import { AdjustableClock } from '../../src/shared/clock.js';
import { CALLBACK, callbackParams, demoPool, FormBrowser, PASSWORD, POOL_ID } from './helpers.js';

const GRACE_SECONDS = 10;
type TokenBody = { access_token?: string; refresh_token?: string; id_token?: string; error?: string };

/**
 * Refresh-token rotation through the Hosted UI's `/oauth2/token`: a client with RefreshTokenRotation ENABLED gets a
 * new refresh token at every refresh; the one it replaced works for the grace period, then never again (moved on
 * the test clock, `POST /_gatehouse/clock`); revoking any token of the chain ends the whole family.
 */
describe('Hosted UI /oauth2/token with refresh-token rotation', () => {
  let idp: StartedIdp;
  let ui: Awaited<ReturnType<typeof startHostedUiServer>>;
  let base: string;
  let dataDir: string;
  let sdk: CognitoIdentityProviderClient;
  let clientId: string;

  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as TokenBody };
  };
  const refresh = (refreshToken: string) =>
    post('/oauth2/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
  const userInfo = (accessToken: string) =>
    fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  const advance = async (seconds: number) => {
    const res = await fetch(`${idp.url}/_gatehouse/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    expect(res.status).toBe(200);
  };
  /** The code flow in the Hosted UI, as a browser does it; returns the first refresh token. */
  const signIn = async (email: string): Promise<string> => {
    const browser = new FormBrowser(base);
    const authorize = new URL(`${base}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email',
    }).toString();
    const code = callbackParams(await browser.signIn(authorize.toString(), email, PASSWORD)).get('code');
    const r = await post('/oauth2/token', {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: code as string,
      redirect_uri: CALLBACK,
    });
    expect(r.status).toBe(200);
    return r.body.refresh_token as string;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-rotation-'));
    const clock = new AdjustableClock();
    const log = pino({ level: 'silent' });
    const bound = await listenHttp('127.0.0.1', 0);
    idp = await startIdp({
      dataDir,
      region: 'us-east-1',
      issuerMode: 'local',
      log,
      clock,
      testClock: clock,
      topology: { userPools: [demoPool()] },
      urls: (origin) =>
        createUrls({
          region: 'us-east-1',
          issuerMode: 'local',
          idpOrigin: origin,
          hostedUiOrigin: bound.origin,
          apiOrigin: origin,
        }),
    });
    ui = await startHostedUiServer({
      service: idp.service,
      urls: idp.urls,
      clock,
      log,
      server: bound.server,
    });
    base = bound.origin;
    sdk = new CognitoIdentityProviderClient({
      endpoint: idp.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
    const c = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: POOL_ID,
        ClientName: 'rotating spa',
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: GRACE_SECONDS },
      }),
    );
    clientId = c.UserPoolClient?.ClientId as string;
    for (const email of ['rota@example.com', 'revoke@example.com']) {
      await idp.service.accounts.adminCreateUser(POOL_ID, {
        username: email,
        attributes: { email, email_verified: 'true' },
        messageAction: 'SUPPRESS',
      });
      idp.service.accounts.adminSetUserPassword(POOL_ID, email, PASSWORD, true);
    }
  });
  afterAll(async () => {
    sdk?.destroy();
    await ui?.close();
    await idp?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('rotates at every refresh; the replaced token works through the grace period, then is refused', async () => {
    const first = await signIn('rota@example.com');
    const r1 = await refresh(first);
    expect(r1.status).toBe(200);
    expect(r1.body.access_token).toBeTruthy();
    expect(r1.body.refresh_token).toBeTruthy();
    expect(r1.body.refresh_token).not.toBe(first);
    // A retry with the old token inside the grace period (a lost response, say) still works.
    await advance(GRACE_SECONDS - 2);
    const retry = await refresh(first);
    expect(retry.status).toBe(200);
    expect(retry.body.access_token).toBeTruthy();
    await advance(3);
    expect(await refresh(first)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid Refresh Token' },
    });
    // The chain goes on from the newest token.
    const r2 = await refresh(r1.body.refresh_token as string);
    expect(r2.status).toBe(200);
    expect(r2.body.refresh_token).not.toBe(r1.body.refresh_token);
    const info = await userInfo(r2.body.access_token as string);
    expect(info.status).toBe(200);
    expect(((await info.json()) as { email?: string }).email).toBe('rota@example.com');
  });

  it('ends the whole family when any token of the chain is revoked', async () => {
    const first = await signIn('revoke@example.com');
    const r1 = await refresh(first);
    const r2 = await refresh(r1.body.refresh_token as string);
    expect(r2.status).toBe(200);
    expect((await userInfo(r2.body.access_token as string)).status).toBe(200);
    // Revoke the oldest token of the chain: the newest stops working too, and so do the access tokens.
    const revoked = await post('/oauth2/revoke', { token: first, client_id: clientId });
    expect(revoked.status).toBe(200);
    expect(await refresh(r2.body.refresh_token as string)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Refresh Token has been revoked' },
    });
    expect((await userInfo(r2.body.access_token as string)).status).toBe(401);
  });
});
