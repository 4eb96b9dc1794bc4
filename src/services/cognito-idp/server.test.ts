import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../../test/helpers/idp.js';

describe('the IdP server protocol', () => {
  let idp: TestIdp;
  let poolId: string;

  const call = (op: string | undefined, body: string, contentType = 'application/x-amz-json-1.1') =>
    fetch(`${idp.url}/`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(op ? { 'x-amz-target': `AWSCognitoIdentityProviderService.${op}` } : {}),
      },
      body,
    });

  beforeAll(async () => {
    idp = await startTestIdp();
    const res = await call('CreateUserPool', JSON.stringify({ PoolName: 'proto' }));
    poolId = ((await res.json()) as { UserPool: { Id: string } }).UserPool.Id;
  });
  afterAll(async () => idp.stop());

  async function expectError(res: Response, type: string, message?: string | RegExp) {
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe(`${type}:`);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toBe(type);
    expect(res.headers.get('x-amzn-errormessage')).toBe(body.message);
    if (typeof message === 'string') expect(body.message).toBe(message);
    else if (message) expect(body.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  }

  it('answers with JSON 1.1, epoch-second timestamps and a request id', async () => {
    const res = await call('DescribeUserPool', JSON.stringify({ UserPoolId: poolId }), 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { UserPool: { CreationDate: unknown } };
    expect(typeof body.UserPool.CreationDate).toBe('number');
  });

  it('rejects an unknown operation and a missing target with UnknownOperationException', async () => {
    await expectError(
      await call('StealEverything', '{}'),
      'UnknownOperationException',
      'Unknown operation StealEverything',
    );
    await expectError(await call(undefined, '{}'), 'UnknownOperationException');
  });

  it('rejects malformed JSON and non-object bodies with SerializationException', async () => {
    await expectError(await call('DescribeUserPool', '{"UserPoolId":'), 'SerializationException');
    await expectError(await call('DescribeUserPool', '[1,2]'), 'SerializationException');
  });

  it('rejects a wrong JSON type with SerializationException', async () => {
    await expectError(
      await call('DescribeUserPool', JSON.stringify({ UserPoolId: 42 })),
      'SerializationException',
    );
    await expectError(
      await call('ListUserPools', JSON.stringify({ MaxResults: 'ten' })),
      'SerializationException',
    );
  });

  it('reports missing, oversized and malformed parameters the way AWS does', async () => {
    await expectError(
      await call('DescribeUserPool', '{}'),
      'InvalidParameterException',
      "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      await call('ListUserPools', JSON.stringify({ MaxResults: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
    await expectError(
      await call('DescribeUserPool', JSON.stringify({ UserPoolId: 'no-underscore' })),
      'InvalidParameterException',
      "1 validation error detected: Value 'no-underscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
    await expectError(
      await call('InitiateAuth', JSON.stringify({ AuthFlow: 'NOPE', ClientId: 'x'.repeat(200) })),
      'InvalidParameterException',
      /^2 validation errors detected: .*enum value set.*; Value at 'clientId' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    );
  });

  it('never echoes sensitive values in validation messages', async () => {
    const res = await call(
      'SignUp',
      JSON.stringify({ ClientId: 'abc', Username: 'u', Password: 'secret value with spaces\u0000' }),
    );
    const text = await res.text();
    expect(text).not.toContain('secret value');
  });

  it('refuses a body above the limit with a 400, not a crash', async () => {
    await expectError(
      await call('DescribeUserPool', JSON.stringify({ UserPoolId: 'a_b', pad: 'x'.repeat(300_000) })),
      'SerializationException',
    );
  });

  it('serves the JWKS and a discovery document that agree with the issuer', async () => {
    const jwks = (await (await fetch(`${idp.url}/${poolId}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; alg: string; use: string; kty: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(2);
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(2);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ alg: 'RS256', use: 'sig', kty: 'RSA' });
      expect(k.d).toBeUndefined();
    }
    const disco = (await (
      await fetch(`${idp.url}/${poolId}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(disco.issuer).toBe(`${idp.url}/${poolId}`);
    expect(disco.jwks_uri).toBe(`${idp.url}/${poolId}/.well-known/jwks.json`);
    expect(disco.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(disco.end_session_endpoint).toBe(idp.urls.oauth.logout);
    expect(disco.revocation_endpoint).toBe(idp.urls.oauth.revoke);
    expect(disco.code_challenge_methods_supported).toBeUndefined();
    expect((await fetch(`${idp.url}/us-east-1_nothere00/.well-known/jwks.json`)).status).toBe(404);
  });

  it('shows the inbox as JSON newest first and as escaped HTML', async () => {
    const clientRes = await call(
      'CreateUserPoolClient',
      JSON.stringify({ UserPoolId: poolId, ClientName: 'c' }),
    );
    const clientId = ((await clientRes.json()) as { UserPoolClient: { ClientId: string } }).UserPoolClient
      .ClientId;
    await call('UpdateUserPoolClient', JSON.stringify({ UserPoolId: poolId, ClientId: clientId }));
    await call(
      'AdminCreateUser',
      JSON.stringify({
        UserPoolId: poolId,
        Username: 'inboxer',
        TemporaryPassword: 'Temp-Passw0rd!',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'email', Value: 'in<b>@example.com' }],
      }),
    );
    await call(
      'AdminCreateUser',
      JSON.stringify({
        UserPoolId: poolId,
        Username: 'inboxer',
        MessageAction: 'RESEND',
        TemporaryPassword: 'Other-Passw0rd!',
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const list = (await (
      await fetch(`${idp.urls.inboxUrl}?to=${encodeURIComponent('IN<B>@example.com')}`)
    ).json()) as { text: string; sentAt: string }[];
    expect(list).toHaveLength(2);
    expect(list[0]?.text).toContain('Other-Passw0rd!');
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(['sentAt', 'subject', 'text', 'to']);
    const html = await fetch(`${idp.urls.inboxUrl}.html?to=${encodeURIComponent('in<b>@example.com')}`);
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).not.toContain('in<b>');
    const negotiated = await fetch(idp.urls.inboxUrl, { headers: { accept: 'text/html' } });
    expect(negotiated.headers.get('content-type')).toContain('text/html');
  });

  it('accepts SigV4-signed requests without verifying the signature', async () => {
    const res = await fetch(`${idp.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPool',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00',
        'x-amz-date': '20260101T000000Z',
      },
      body: JSON.stringify({ UserPoolId: poolId }),
    });
    expect(res.status).toBe(200);
  });
});

describe('the IdP server on an unexpected failure', () => {
  it('answers 500 InternalErrorException with a request id and no stack or detail', async () => {
    const idp = await startTestIdp();
    try {
      // Break the store underneath the service: every query now throws a plain (non-Cognito) error.
      idp.stores.db.close();
      const res = await fetch(`${idp.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
        },
        body: JSON.stringify({ MaxResults: 1 }),
      });
      expect(res.status).toBe(500);
      expect(res.headers.get('x-amzn-errortype')).toBe('InternalErrorException:');
      expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toEqual({ __type: 'InternalErrorException', message: 'Internal error' });
    } finally {
      await idp.stop().catch(() => {});
    }
  });
});
