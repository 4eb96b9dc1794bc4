import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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

  it('refuses a token signed by another key', async () => {
    const [h, p] = accessToken.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const res = await fetch(`${cloud.endpoints.apis[0]?.url}/person`, { headers: { authorization: forged } });
    expect(res.status).toBe(401);
  });

  it('serves ANY / publicly', async () => {
    const res = await fetch(`${cloud.endpoints.apis[0]?.url}/`);
    expect(res.status).toBe(200);
  });

  it('keeps pool, client, secret and users across a restart, and removes endpoints.json on SIGTERM', async () => {
    const before = cloud.endpoints;
    expect(await cloud.stop('SIGTERM')).toBe(0);
    const { existsSync } = await import('node:fs');
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
});
