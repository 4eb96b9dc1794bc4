import { createHmac } from 'node:crypto';
import { base64url, generateKeyPair, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createJwtAuthorizer,
  type IdentityInput,
  type JwtAuthorizer,
} from '../../src/services/apigateway/authorizer.js';
import { IssuerKeys } from '../../src/services/apigateway/jwks.js';
import type { AuthorizerSpec } from '../../src/services/cloudformation/types.js';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from './support/idp.js';

const CLIENT = 'client-app-1';
const OTHER_CLIENT = 'client-other-9';

let idp: TestIdp;
let clock: FakeClock;
let authorizer: JwtAuthorizer;
let nowSec: number;

function spec(over: Partial<AuthorizerSpec> = {}): AuthorizerSpec {
  return {
    logicalId: 'Auth',
    name: 'Auth',
    type: 'JWT',
    identitySource: ['$request.header.Authorization'],
    issuer: idp.issuer,
    audience: [CLIENT],
    ...over,
  };
}

function headers(h: Record<string, string>, q: Record<string, string> = {}): IdentityInput {
  return { header: (n) => h[n], query: (n) => q[n] };
}

const bearer = (t: string) => headers({ authorization: `Bearer ${t}` });

function accessToken(over: JWTPayload = {}): JWTPayload {
  return {
    sub: 'user-1',
    iss: idp.issuer,
    client_id: CLIENT,
    token_use: 'access',
    scope: 'api/read api/write',
    iat: nowSec,
    exp: nowSec + 3600,
    ...over,
  };
}

beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.close();
});
beforeEach(() => {
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  nowSec = Math.floor(clock.now() / 1000);
  const keys = new IssuerKeys({ discoveryUrl: idp.discoveryUrl, clock });
  authorizer = createJwtAuthorizer({ spec: spec(), issuer: idp.issuer, keys, clock });
});

async function expect401(input: IdentityInput, description: string) {
  const r = await authorizer.authorize(input, []);
  expect(r).toMatchObject({ ok: false, status: 401 });
  if (!r.ok) {
    expect(r.wwwAuthenticate).toBe(
      `Bearer scope="" error="invalid_token" error_description="${description}"`,
    );
  }
}

describe('JWT authorizer (http-api-jwt-authorizer.md)', () => {
  it('accepts an access token whose client_id is in the audience, with the Bearer prefix', async () => {
    const r = await authorizer.authorize(bearer(await idp.sign(accessToken())), []);
    expect(r).toMatchObject({ ok: true, claims: { sub: 'user-1' } });
  });

  it('accepts the token without the Bearer prefix', async () => {
    const r = await authorizer.authorize(headers({ authorization: await idp.sign(accessToken()) }), []);
    expect(r.ok).toBe(true);
  });

  it('accepts an id token whose aud is the client', async () => {
    const { client_id: _, scope: __, ...rest } = accessToken({ token_use: 'id' });
    const r = await authorizer.authorize(bearer(await idp.sign({ ...rest, aud: CLIENT })), []);
    expect(r.ok).toBe(true);
  });

  it('rejects a request without the identity source header', async () => {
    await expect401(headers({}), 'the token is missing');
    await expect401(headers({ authorization: 'Bearer ' }), 'the token is missing');
  });

  it('rejects a token that is not a JWT', async () => {
    await expect401(bearer('not-a-jwt'), 'the token is malformed');
  });

  it("rejects a token whose client_id is another client's", async () => {
    await expect401(
      bearer(await idp.sign(accessToken({ client_id: OTHER_CLIENT }))),
      'the token does not have a valid audience',
    );
  });

  it('rejects a token whose audience is another client', async () => {
    const { client_id: _, ...rest } = accessToken();
    await expect401(
      bearer(await idp.sign({ ...rest, aud: OTHER_CLIENT })),
      'the token does not have a valid audience',
    );
  });

  it('rejects a token whose aud is another client even though its client_id is in the audience', async () => {
    await expect401(
      bearer(await idp.sign(accessToken({ aud: OTHER_CLIENT }))),
      'the token does not have a valid audience',
    );
  });

  it('rejects a token from another issuer', async () => {
    await expect401(
      bearer(await idp.sign(accessToken({ iss: 'https://evil.example.com' }))),
      'the token does not have a valid issuer',
    );
  });

  it('rejects a token signed by a key from another issuer that reuses a published kid', async () => {
    const other = await generateKeyPair('RS256');
    await expect401(
      bearer(await idp.sign(accessToken(), { key: other.privateKey })),
      'the token signature is invalid',
    );
  });

  it('rejects a token signed by a key from another issuer with its own kid', async () => {
    const other = await generateKeyPair('RS256');
    const token = await idp.sign(accessToken(), { key: other.privateKey, kid: 'attacker-key' });
    await expect401(bearer(token), 'the token was not signed by a key of the issuer');
  });

  it('rejects a properly signed token without a kid, even though the issuer has a single key', async () => {
    const token = await idp.sign(accessToken(), { kid: '' });
    await expect401(bearer(token), 'the token was not signed by a key of the issuer');
  });

  it('rejects alg:none', async () => {
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const token = `${enc({ alg: 'none', kid: idp.kid() })}.${enc(accessToken())}.`;
    await expect401(bearer(token), 'the token is signed with an unsupported algorithm');
  });

  it('rejects HS256 signed with the public key as the HMAC secret', async () => {
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const input = `${enc({ alg: 'HS256', kid: idp.kid() })}.${enc(accessToken())}`;
    for (const secret of [JSON.stringify(idp.publicJwk()), idp.publicJwk().n as string]) {
      const sig = base64url.encode(createHmac('sha256', secret).update(input).digest());
      await expect401(bearer(`${input}.${sig}`), 'the token is signed with an unsupported algorithm');
    }
  });

  it('rejects an expired token', async () => {
    await expect401(bearer(await idp.sign(accessToken({ exp: nowSec - 1 }))), 'the token has expired');
  });

  it('rejects a token once the clock passes its exp', async () => {
    const token = await idp.sign(accessToken({ exp: nowSec + 60 }));
    expect((await authorizer.authorize(bearer(token), [])).ok).toBe(true);
    clock.advance(61_000);
    await expect401(bearer(token), 'the token has expired');
  });

  it('rejects a token without exp', async () => {
    const { exp: _, ...rest } = accessToken();
    await expect401(bearer(await idp.sign(rest)), 'the token has no expiry');
  });

  it('rejects a token whose nbf is in the future', async () => {
    await expect401(bearer(await idp.sign(accessToken({ nbf: nowSec + 120 }))), 'the token is not valid yet');
  });

  it('rejects a token issued in the future', async () => {
    await expect401(
      bearer(await idp.sign(accessToken({ iat: nowSec + 120 }))),
      'the token was issued in the future',
    );
  });

  it('accepts a route scope found in scope, and one found in scp', async () => {
    expect(
      (await authorizer.authorize(bearer(await idp.sign(accessToken())), ['api/admin', 'api/read'])).ok,
    ).toBe(true);
    const { scope: _, ...rest } = accessToken();
    const scp = await idp.sign({ ...rest, scp: ['api/read'] });
    expect((await authorizer.authorize(bearer(scp), ['api/read'])).ok).toBe(true);
  });

  it('answers 403 when none of the route scopes is in the token', async () => {
    const r = await authorizer.authorize(bearer(await idp.sign(accessToken())), ['api/admin']);
    expect(r).toMatchObject({ ok: false, status: 403 });
    if (!r.ok) expect(r.wwwAuthenticate).toContain('error="insufficient_scope"');
  });

  it('answers 403 for an id token on a scoped route (id tokens carry no scope)', async () => {
    const { client_id: _, scope: __, ...rest } = accessToken({ token_use: 'id' });
    const r = await authorizer.authorize(bearer(await idp.sign({ ...rest, aud: CLIENT })), ['api/read']);
    expect(r).toMatchObject({ ok: false, status: 403 });
  });

  it('reads the token from a querystring identity source', async () => {
    const keys = new IssuerKeys({ discoveryUrl: idp.discoveryUrl, clock });
    const q = createJwtAuthorizer({
      spec: spec({ identitySource: ['$request.querystring.token'] }),
      issuer: idp.issuer,
      keys,
      clock,
    });
    const token = await idp.sign(accessToken());
    expect((await q.authorize(headers({}, { token }), [])).ok).toBe(true);
    expect((await q.authorize(headers({ authorization: `Bearer ${token}` }), [])).ok).toBe(false);
  });

  it('refuses a misconfigured authorizer at construction, naming it', () => {
    const keys = new IssuerKeys({ discoveryUrl: idp.discoveryUrl, clock });
    expect(() =>
      createJwtAuthorizer({ spec: spec({ audience: [] }), issuer: idp.issuer, keys, clock }),
    ).toThrow(/Auth/);
    expect(() =>
      createJwtAuthorizer({
        spec: spec({ identitySource: ['$context.x'] }),
        issuer: idp.issuer,
        keys,
        clock,
      }),
    ).toThrow(/identity source/);
  });
});

describe('issuer keys (discovery, JWKS cache, penalty box)', () => {
  it('fetches the JWKS once and reuses it', async () => {
    const before = idp.jwksFetches();
    for (let i = 0; i < 3; i++)
      expect((await authorizer.authorize(bearer(await idp.sign(accessToken())), [])).ok).toBe(true);
    expect(idp.jwksFetches() - before).toBe(1);
  });

  it('refetches on an unknown kid only after the penalty box has passed', async () => {
    expect((await authorizer.authorize(bearer(await idp.sign(accessToken())), [])).ok).toBe(true);
    const before = idp.jwksFetches();
    await idp.rotate();
    const rotated = await idp.sign(accessToken());
    // Within 10 s of the last fetch, an unknown kid is refused without asking the issuer again.
    await expect401(bearer(rotated), 'the token was not signed by a key of the issuer');
    expect(idp.jwksFetches()).toBe(before);
    clock.advance(10_000);
    expect((await authorizer.authorize(bearer(rotated), [])).ok).toBe(true);
    expect(idp.jwksFetches()).toBe(before + 1);
  });

  it('denies, without throwing, when the issuer cannot be reached', async () => {
    const errors: string[] = [];
    const keys = new IssuerKeys({
      discoveryUrl: 'http://127.0.0.1:9/nothing/.well-known/openid-configuration',
      clock,
      onFetchError: (url) => errors.push(url),
    });
    const a = createJwtAuthorizer({ spec: spec(), issuer: idp.issuer, keys, clock });
    const r = await a.authorize(bearer(await idp.sign(accessToken())), []);
    expect(r).toMatchObject({ ok: false, status: 401 });
    expect(errors).toEqual(['http://127.0.0.1:9/nothing/.well-known/openid-configuration']);
  });
});
