import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { build } from 'esbuild';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from '../amplify/harness.js';
import { createUser, PASSWORD } from '../passwordless/helpers.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Amplify v6 bundled by esbuild into a page on http://localhost, in Chromium with a CDP virtual authenticator:
 * associateWebAuthnCredential, listWebAuthnCredentials, passkey sign-in, deleteWebAuthnCredential. No skip: without
 * /usr/bin/chromium the launch fails and so does the test.
 */
describe('passkeys with Amplify v6 in Chromium', () => {
  let cloud: AmplifyCloud;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let site: Server;
  let poolId: string;
  let clientId: string;

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    const bundle = await build({
      entryPoints: [resolve(import.meta.dirname, 'passkey-app/app.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    site = createServer((req, res) => {
      if (req.url === '/app.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><title>passkeys</title><script src="/app.js"></script></head><body></body></html>',
        );
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));

    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'passkeys',
        UsernameAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      }),
    );
    poolId = pool.UserPool?.Id as string;
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' },
      }),
    );
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    await createUser(cloud.sdk, poolId, 'pat@example.com', { email: 'pat@example.com' });
    await createUser(cloud.sdk, poolId, 'quinn@example.com', { email: 'quinn@example.com' });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    context = await browser.newContext();
    page = await context.newPage();
    const cdp = await context.newCDPSession(page);
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
    const port = (site.address() as AddressInfo).port;
    await page.goto(`http://localhost:${port}/`);
    await page.evaluate(
      ([p, c, e]) =>
        (globalThis as never as { app: { configure(...a: string[]): void } }).app.configure(p, c, e),
      [poolId, clientId, cloud.idp.url] as const,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (site ? site.close(r) : r(undefined)));
    await cloud?.stop();
  });

  /** Calls one of the page's functions (typed in passkey-app/app.ts). */
  const call = <T>(fn: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      ([f, a]) =>
        (globalThis as unknown as { app: Record<string, (...x: unknown[]) => unknown> }).app[f as string]?.(
          ...(a as unknown[]),
        ),
      [fn, args] as const,
    ) as Promise<T>;

  it('registers a passkey after a password sign-in, lists it, signs in with it, deletes it', async () => {
    const first = await call<{ isSignedIn: boolean }>('signInWithPassword', 'pat@example.com', PASSWORD);
    expect(first).toMatchObject({ isSignedIn: true });

    expect(await call('associate')).toEqual({ ok: true });
    const listed = await call<{ credentialId: string; relyingPartyId: string }[]>('list');
    expect(listed).toHaveLength(1);
    expect(listed[0]?.relyingPartyId).toBe('localhost');

    await call('signOut');
    const withPasskey = await call<{ isSignedIn: boolean }>('signInWithPasskey', 'pat@example.com');
    expect(withPasskey).toMatchObject({ isSignedIn: true });
    expect(await call('email')).toBe('pat@example.com');

    // A second passkey sign-in: the authenticator's counter moved forward and is accepted.
    await call('signOut');
    expect(await call('signInWithPasskey', 'pat@example.com')).toMatchObject({ isSignedIn: true });

    await call('remove', listed[0]?.credentialId);
    expect(await call('list')).toEqual([]);
    // Without a passkey, WEB_AUTHN is no longer on offer: Cognito answers with the choice instead.
    await call('signOut');
    expect(await call('signInWithPasskey', 'pat@example.com')).toMatchObject({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
        availableChallenges: ['PASSWORD', 'PASSWORD_SRP'],
      },
    });
  });

  /** Signs in with a password in the page, registers a passkey there, and signs out. */
  const registerPasskey = async (email: string) => {
    expect(await call('signInWithPassword', email, PASSWORD)).toMatchObject({ isSignedIn: true });
    expect(await call('associate')).toEqual({ ok: true });
    await call('signOut');
  };

  /**
   * Runs a passkey sign-in in the page but stops Amplify's RespondToAuthChallenge on its way out: the test gets the
   * real assertion (Session and CREDENTIAL) to send itself through the SDK v3.
   */
  const captureAssertion = async (email: string) => {
    let captured: { Session: string; ChallengeResponses: Record<string, string> } | undefined;
    const url = `${cloud.idp.url}/**`;
    await page.route(url, async (route) => {
      const target = route.request().headers()['x-amz-target'] ?? '';
      if (target.endsWith('.RespondToAuthChallenge')) {
        captured = route.request().postDataJSON();
        await route.abort();
        return;
      }
      await route.continue();
    });
    await call('signInWithPasskey', email);
    await page.unroute(url);
    if (!captured) throw new Error('no WEB_AUTHN answer was sent');
    return captured;
  };

  const accessToken = async (email: string) => {
    const r = await cloud.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
      }),
    );
    return r.AuthenticationResult?.AccessToken as string;
  };

  const answer = (a: { Session: string; ChallengeResponses: Record<string, string> }) =>
    cloud.sdk
      .send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'WEB_AUTHN',
          Session: a.Session,
          ChallengeResponses: a.ChallengeResponses,
        }),
      )
      .then(
        () => undefined,
        (e: Error) => e.name,
      );

  it('SDK v3 errors: an assertion of a deleted passkey, an assertion from an origin outside the RP id', async () => {
    await registerPasskey('quinn@example.com');
    const a = await captureAssertion('quinn@example.com');
    expect(JSON.parse(a.ChallengeResponses.CREDENTIAL ?? '{}')).toHaveProperty('response.signature');
    const token = await accessToken('quinn@example.com');
    const listed = await cloud.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
    expect(listed.Credentials).toHaveLength(1);
    await cloud.sdk.send(
      new DeleteWebAuthnCredentialCommand({
        AccessToken: token,
        CredentialId: listed.Credentials?.[0]?.CredentialId,
      }),
    );
    expect(await answer(a)).toBe('NotAuthorizedException');
    await expect(
      cloud.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: 'gone' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    // The page is http://localhost: once the pool's relying party is example.com, its assertion is refused.
    await registerPasskey('quinn@example.com');
    const b = await captureAssertion('quinn@example.com');
    await cloud.sdk.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: 'example.com' },
      }),
    );
    try {
      expect(await answer(b)).toBe('WebAuthnOriginNotAllowedException');
    } finally {
      await cloud.sdk.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          WebAuthnConfiguration: { RelyingPartyId: 'localhost' },
        }),
      );
    }
  });
});
