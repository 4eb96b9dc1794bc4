import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, type RunningCloud, secretHash, startLocalCloud } from '../helpers/local-cloud.js';

// The whole original system, offline, from `npm start`'s own synthesized stack.
describe('npm start runs the synthesized stack end to end', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  let cloud: RunningCloud;
  const email = 'ada@example.com';
  const password = 'Correct-Horse-9';
  let accessToken = '';
  let sub = '';

  beforeAll(async () => {
    cloud = await startLocalCloud(dataDir);
  }, 600_000);
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sdk = () =>
    new CognitoIdentityProviderClient({
      endpoint: cloud.endpoints.cognitoIdpEndpoint,
      region: cloud.endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  it('publishes the pool, its client with a secret, and the API stage in endpoints.json', () => {
    const { userPools, apis } = cloud.endpoints;
    expect(userPools).toHaveLength(1);
    expect(userPools[0]?.id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(userPools[0]?.clients[0]?.id).toMatch(/^[a-z0-9]{26}$/);
    expect(userPools[0]?.clients[0]?.secret).toMatch(/^[\w+]{40,64}$/);
    expect(userPools[0]?.clients[0]?.callbackUrls).toContain('http://localhost:3000/callback');
    expect(apis[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/serverless_lambda_stage$/);
  });

  it('prints a start-up summary: endpoints, pool, client with its secret, where mail goes', async () => {
    const { cognitoIdpEndpoint, inboxUrl, userPools, apis } = cloud.endpoints;
    const pool = userPools[0];
    const client = pool?.clients[0];
    if (!pool || !client?.secret) throw new Error(`no pool or client in endpoints.json:\n${cloud.output()}`);
    const lines = cloud.output().split('\n');
    const line = (re: RegExp) => lines.find((l) => re.test(l));
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(lines).toContain('Gatehouse local cloud is running');
    expect(line(new RegExp(`^ {2}Cognito API +${esc(cognitoIdpEndpoint)} `))).toContain(
      `aws cognito-idp --endpoint-url ${cognitoIdpEndpoint}`,
    );
    expect(line(/^ {2}Hosted UI +http:\/\/127\.0\.0\.1:\d+$/)).toBeDefined();
    expect(
      line(new RegExp(`^ {2}HTTP API +${esc(apis[0]?.url ?? '-')} +\\(${esc(apis[0]?.name ?? '-')}\\)$`)),
    ).toBeDefined();
    expect(line(new RegExp(`^ {2}User pool +${esc(pool.id)} +${esc(pool.name)}$`))).toBeDefined();
    expect(line(new RegExp(`^ {4}issuer +${esc(pool.issuer)}$`))).toBeDefined();
    // The one place the secret is shown: the summary, for the person at the terminal; never a log line.
    expect(line(new RegExp(`^ {4}client +${esc(client.id)} +secret ${esc(client.secret)}$`))).toBeDefined();
    expect(cloud.output().split(client.secret)).toHaveLength(2);
    const signIn = line(/^ {4}sign in +/)?.replace(/^ {4}sign in +/, '');
    if (!signIn) throw new Error(`no sign-in link in:\n${cloud.output()}`);
    const authorize = new URL(signIn);
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe(client.id);
    expect(authorize.searchParams.get('redirect_uri')).toBe(client.callbackUrls[0]);
    expect(line(new RegExp(`^ {2}Mail +${esc(inboxUrl)}\\.html$`))).toBeDefined();
    expect(line(new RegExp(`^ {2}State +${esc(dataDir)}$`))).toBeDefined();
    // The mail link works: the inbox page.
    const inbox = await fetch(`${inboxUrl}.html`);
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-type')).toContain('text/html');
  });

  it('signs up, confirms with the mailed code and signs in with the AWS SDK', async () => {
    const pool = cloud.endpoints.userPools[0];
    const client = pool?.clients[0];
    if (!pool || !client?.secret) throw new Error('no client');
    const cognito = sdk();
    const up = await cognito.send(
      new SignUpCommand({
        ClientId: client.id,
        Username: email,
        Password: password,
        SecretHash: secretHash(email, client.id, client.secret),
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(up.UserConfirmed).toBe(false);
    sub = up.UserSub ?? '';
    const code = await latestCode(cloud.endpoints.inboxUrl, email);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: client.id,
        Username: email,
        ConfirmationCode: code,
        SecretHash: secretHash(email, client.id, client.secret),
      }),
    );
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: client.id,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: email,
          PASSWORD: password,
          SECRET_HASH: secretHash(email, client.id, client.secret),
        },
      }),
    );
    accessToken = auth.AuthenticationResult?.AccessToken ?? '';
    expect(accessToken.split('.')).toHaveLength(3);
  });

  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    it(`answers ${method} /person with the method's message and the caller's sub`, async () => {
      const res = await fetch(`${cloud.endpoints.apis[0]?.url}/person`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: method === 'POST' || method === 'PUT' ? JSON.stringify({ name: 'Ada' }) : undefined,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('apigw-requestid')).toBeTruthy();
      const text = await res.text();
      expect(text).toContain(`[${method} METHOD]`);
      expect(text).toContain(sub);
    });
  }

  it('refuses /person without a token with API Gateway 401', async () => {
    const res = await fetch(`${cloud.endpoints.apis[0]?.url}/person`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a token signed by another key with the same kid, issuer and claims', async () => {
    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);
    expect(header.kid).toBeTruthy();
    expect(claims.iss).toBe(cloud.endpoints.userPools[0]?.issuer);
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: header.alg ?? 'RS256', kid: header.kid as string })
      .sign(other.privateKey);
    const url = `${cloud.endpoints.apis[0]?.url}/person`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(res.headers.get('www-authenticate')).toContain(
      'error_description="the token signature is invalid"',
    );
    // The genuine token with the very same header and claims still passes.
    expect((await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
  });

  it('serves ANY / publicly', async () => {
    const res = await fetch(`${cloud.endpoints.apis[0]?.url}/`);
    expect(res.status).toBe(200);
  });

  it('keeps pool, client, secret and users across a restart, and removes endpoints.json on SIGTERM', async () => {
    const before = cloud.endpoints;
    expect(await cloud.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(false);
    cloud = await startLocalCloud(dataDir, ['--no-synth']);
    expect(cloud.endpoints.userPools[0]?.id).toBe(before.userPools[0]?.id);
    expect(cloud.endpoints.userPools[0]?.clients[0]).toEqual(before.userPools[0]?.clients[0]);
    const client = cloud.endpoints.userPools[0]?.clients[0];
    if (!client?.secret) throw new Error('no client');
    const auth = await sdk().send(
      new InitiateAuthCommand({
        ClientId: client.id,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: email,
          PASSWORD: password,
          SECRET_HASH: secretHash(email, client.id, client.secret),
        },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('removes endpoints.json on SIGINT (Ctrl-C) as on SIGTERM', async () => {
    // The cloud the restart above brought back, still running.
    expect(cloud.child.exitCode).toBeNull();
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(true);
    expect(await cloud.stop('SIGINT')).toBe(0);
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(false);
    expect(cloud.output()).toContain('"signal":"SIGINT"');
  });
});
