import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atHashOf } from '../../src/services/cognito-idp/tokens/mint.js';
import {
  CALLBACK,
  FormBrowser,
  type HostedUiCloud,
  M2M_CLIENT,
  PASSWORD,
  PUBLIC_CLIENT,
  startHostedUiCloud,
  WEB_CLIENT,
} from './helpers.js';

const insecure = { execute: [client.allowInsecureRequests] };

/** Signs in through the Hosted UI form with plain fetch and returns the callback URL (with code and state). */
async function signInFor(cloud: HostedUiCloud, authorizeUrl: URL, email: string): Promise<URL> {
  const browser = new FormBrowser(cloud.base);
  const res = await browser.signIn(authorizeUrl.toString(), email, PASSWORD);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('openid-client against the Hosted UI and OAuth endpoints', () => {
  let cloud: HostedUiCloud;
  let web: client.Configuration;
  const email = 'ada@example.com';

  beforeAll(async () => {
    cloud = await startHostedUiCloud();
    await cloud.createUser(email);
    web = await client.discovery(
      new URL(cloud.issuer),
      WEB_CLIENT,
      cloud.secret(WEB_CLIENT),
      undefined,
      insecure,
    );
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('discovers the issuer, the endpoints it serves and the JWKS that signs its tokens', async () => {
    const meta = web.serverMetadata();
    expect(meta.issuer).toBe(cloud.issuer);
    expect(meta.authorization_endpoint).toBe(`${cloud.base}/oauth2/authorize`);
    expect(meta.token_endpoint).toBe(`${cloud.base}/oauth2/token`);
    expect(meta.userinfo_endpoint).toBe(`${cloud.base}/oauth2/userInfo`);
    expect(meta.revocation_endpoint).toBe(`${cloud.base}/oauth2/revoke`);
    expect(meta.end_session_endpoint).toBe(`${cloud.base}/logout`);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
  });

  it('signs its tokens with the keys of the discovered jwks_uri, for the discovered issuer', async () => {
    const strict = await client.discovery(
      new URL(cloud.issuer),
      WEB_CLIENT,
      cloud.secret(WEB_CLIENT),
      undefined,
      insecure,
    );
    // openid-client then fetches jwks_uri and checks the id token's signature itself.
    client.enableNonRepudiationChecks(strict);
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(strict, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      state,
      nonce,
    });
    const tokens = await client.authorizationCodeGrant(strict, await signInFor(cloud, url, email), {
      expectedState: state,
      expectedNonce: nonce,
    });
    const meta = strict.serverMetadata();
    const jwks = (await (await fetch(meta.jwks_uri as string)).json()) as Jwks;
    const verifierFor = (tokenUse: 'access' | 'id') => {
      const v = JwtVerifier.create({
        issuer: meta.issuer,
        audience: null,
        jwksUri: meta.jwks_uri as string,
        customJwtCheck: ({ payload }) =>
          validateCognitoJwtFields(payload, { tokenUse, clientId: WEB_CLIENT, groups: null }),
      });
      v.cacheJwks(jwks);
      return v;
    };
    expect((await verifierFor('access').verify(tokens.access_token)).scope).toBe('openid');
    expect((await verifierFor('id').verify(tokens.id_token as string)).nonce).toBe(nonce);
  });

  it('runs the authorization-code flow with PKCE for the confidential client, with state and nonce', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(web, {
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await signInFor(cloud, url, email);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe(state);
    const tokens = await client.authorizationCodeGrant(web, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = tokens.claims();
    expect(claims?.nonce).toBe(nonce);
    expect(claims?.email).toBe(email);
    expect(claims?.aud).toBe(WEB_CLIENT);
    expect(claims?.at_hash).toBe(atHashOf(tokens.access_token));
    const access = decodeJwt(tokens.access_token);
    expect(access.scope).toBe('openid email');
    expect(access.client_id).toBe(WEB_CLIENT);
    expect(access.token_use).toBe('access');
  });

  it('runs the flow without PKCE, authenticating with client_secret_basic', async () => {
    const basic = await client.discovery(
      new URL(cloud.issuer),
      WEB_CLIENT,
      undefined,
      client.ClientSecretBasic(cloud.secret(WEB_CLIENT)),
      insecure,
    );
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(basic, { redirect_uri: CALLBACK, scope: 'openid', state });
    const callback = await signInFor(cloud, url, email);
    const tokens = await client.authorizationCodeGrant(basic, callback, { expectedState: state });
    expect(tokens.claims()?.sub).toBeTypeOf('string');
    expect(tokens.claims()?.nonce).toBeUndefined();
    expect(decodeJwt(tokens.access_token).scope).toBe('openid');
  });

  it('grants every scope of the client when the request names none', async () => {
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, state });
    const tokens = await client.authorizationCodeGrant(web, await signInFor(cloud, url, email), {
      expectedState: state,
    });
    expect(decodeJwt(tokens.access_token).scope).toBe('openid email profile api/read');
  });

  it('runs the code flow for a public client with PKCE and no secret', async () => {
    const pub = await client.discovery(
      new URL(cloud.issuer),
      PUBLIC_CLIENT,
      undefined,
      client.None(),
      insecure,
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(pub, {
      redirect_uri: CALLBACK,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const tokens = await client.authorizationCodeGrant(pub, await signInFor(cloud, url, email), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.aud).toBe(PUBLIC_CLIENT);
  });

  it('refreshes, reads userInfo, revokes, and the revoked sign-in stops working everywhere', async () => {
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, scope: 'openid email', state });
    const tokens = await client.authorizationCodeGrant(web, await signInFor(cloud, url, email), {
      expectedState: state,
    });
    const sub = tokens.claims()?.sub as string;

    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()?.sub).toBe(sub);
    expect(refreshed.refresh_token).toBeUndefined();
    expect(decodeJwt(refreshed.access_token).origin_jti).toBe(decodeJwt(tokens.access_token).origin_jti);

    const info = await client.fetchUserInfo(web, refreshed.access_token, sub);
    expect(info.sub).toBe(sub);
    expect(info.email).toBe(email);
    expect(info.email_verified).toBe('true');
    expect(info.username).toBe(sub);

    await client.tokenRevocation(web, tokens.refresh_token as string);
    await expect(client.refreshTokenGrant(web, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Access tokens minted from the revoked refresh token end with it.
    await expect(client.fetchUserInfo(web, refreshed.access_token, sub)).rejects.toMatchObject({
      status: 401,
    });
    await expect(client.fetchUserInfo(web, tokens.access_token, sub)).rejects.toMatchObject({ status: 401 });
  });

  it('issues an access token with a resource-server scope for client_credentials', async () => {
    const m2m = await client.discovery(
      new URL(cloud.issuer),
      M2M_CLIENT,
      cloud.secret(M2M_CLIENT),
      undefined,
      insecure,
    );
    const tokens = await client.clientCredentialsGrant(m2m, { scope: 'api/read' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({
      scope: 'api/read',
      client_id: M2M_CLIENT,
      sub: M2M_CLIENT,
      token_use: 'access',
    });
    expect(access.iss).toBe(cloud.issuer);
  });

  it('refuses client_credentials for a scope the client is not allowed', async () => {
    const m2m = await client.discovery(
      new URL(cloud.issuer),
      M2M_CLIENT,
      cloud.secret(M2M_CLIENT),
      undefined,
      insecure,
    );
    await expect(client.clientCredentialsGrant(m2m, { scope: 'api/write' })).rejects.toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('refuses client_credentials to a client without that grant', async () => {
    await expect(client.clientCredentialsGrant(web, { scope: 'api/read' })).rejects.toMatchObject({
      error: 'unauthorized_client',
    });
  });

  it('rejects a bad client secret with invalid_client', async () => {
    const bad = await client.discovery(
      new URL(cloud.issuer),
      WEB_CLIENT,
      'not-the-secret',
      undefined,
      insecure,
    );
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, scope: 'openid', state });
    const callback = await signInFor(cloud, url, email);
    await expect(
      client.authorizationCodeGrant(bad, callback, { expectedState: state }),
    ).rejects.toMatchObject({
      error: 'invalid_client',
    });
  });

  it('rejects a wrong PKCE verifier with invalid_grant', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signInFor(cloud, url, email);
    await expect(
      client.authorizationCodeGrant(web, callback, {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('answers a replayed code with invalid_grant and revokes the tokens it was exchanged for', async () => {
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: CALLBACK, scope: 'openid email', state });
    const callback = await signInFor(cloud, url, email);
    const first = await client.authorizationCodeGrant(web, callback, { expectedState: state });
    await expect(
      client.authorizationCodeGrant(web, callback, { expectedState: state }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(client.refreshTokenGrant(web, first.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
