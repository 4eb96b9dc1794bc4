import { errors, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createJwtAuthorizer,
  type IdentityInput,
  type JwtAuthorizer,
} from '../../src/services/apigateway/authorizer.js';
import { IssuerKeys, type KeySource } from '../../src/services/apigateway/jwks.js';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from './support/idp.js';

const CLIENT = 'client-app-1';

let idp: TestIdp;
let clock: FakeClock;
let nowSec: number;
/** The real key source, counted, with a key set that a test can change (or empty) under the authorizer. */
let keys: KeySource & { lookups: number; generationNow: number; revoked: boolean };
let authorizer: JwtAuthorizer;

const bearer = (t: string): IdentityInput => ({
  header: (n) => (n === 'authorization' ? `Bearer ${t}` : undefined),
  query: () => undefined,
});

const claims = (over: JWTPayload = {}): JWTPayload => ({
  sub: 'user-1',
  iss: idp.issuer,
  client_id: CLIENT,
  token_use: 'access',
  scope: 'api/read',
  iat: nowSec,
  exp: nowSec + 3600,
  ...over,
});

beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await idp.close();
});
beforeEach(() => {
  clock = new FakeClock(Date.UTC(2026, 0, 1));
  nowSec = Math.floor(clock.now() / 1000);
  const real = new IssuerKeys({ discoveryUrl: idp.discoveryUrl, clock });
  keys = {
    lookups: 0,
    generationNow: 1,
    revoked: false,
    async getKey(header) {
      keys.lookups++;
      if (keys.revoked) throw new errors.JWKSNoMatchingKey();
      return real.getKey(header);
    },
    generation: () => keys.generationNow,
  };
  authorizer = createJwtAuthorizer({
    spec: {
      logicalId: 'Auth',
      name: 'Auth',
      type: 'JWT',
      identitySource: ['$request.header.Authorization'],
      issuer: idp.issuer,
      audience: [CLIENT],
    },
    issuer: idp.issuer,
    keys,
    clock,
  });
});

const description = async (token: string, scopes: string[] = []) => {
  const r = await authorizer.authorize(bearer(token), scopes);
  return r.ok ? 'ok' : `${r.status} ${r.reason}`;
};

describe('JWT authorizer: tokens verified before', () => {
  it('verifies a token once and answers it again without a new signature check', async () => {
    const token = await idp.sign(claims());
    expect(await description(token)).toBe('ok');
    expect(await description(token)).toBe('ok');
    expect(keys.lookups).toBe(1);
  });

  it('still refuses a token once it expired, on every request after it was verified', async () => {
    const token = await idp.sign(claims({ exp: nowSec + 60 }));
    expect(await description(token)).toBe('ok');
    clock.advance(60_000);
    expect(await description(token)).toBe('401 the token has expired');
    expect(await description(token)).toBe('401 the token has expired');
  });

  it('checks nbf against the time of each request', async () => {
    const token = await idp.sign(claims({ nbf: nowSec + 30 }));
    expect(await description(token)).toBe('401 the token is not valid yet');
    clock.advance(30_000);
    expect(await description(token)).toBe('ok');
    expect(await description(token)).toBe('ok');
  });

  it("checks each route's scopes on a token verified for another route", async () => {
    const token = await idp.sign(claims({ scope: 'api/read' }));
    expect(await description(token, ['api/read'])).toBe('ok');
    expect(await description(token, ['api/admin'])).toBe('403 the token does not have the required scope');
    expect(await description(token, ['api/read'])).toBe('ok');
  });

  it('verifies again once the key set changed, and refuses the token when its key is gone', async () => {
    const token = await idp.sign(claims());
    expect(await description(token)).toBe('ok');
    keys.generationNow++;
    keys.revoked = true;
    expect(await description(token)).toBe('401 the token was not signed by a key of the issuer');
    expect(keys.lookups).toBe(2);
  });

  it('never takes a token with another signature for one verified before', async () => {
    const token = await idp.sign(claims());
    expect(await description(token)).toBe('ok');
    const [h, p, sig] = token.split('.') as [string, string, string];
    const other = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await description(other)).toBe('401 the token signature is invalid');
  });

  it('moves to a new generation when the issuer publishes another key set, not when it serves the same one', async () => {
    const real = new IssuerKeys({ discoveryUrl: idp.discoveryUrl, clock });
    await real.getKey({ alg: 'RS256', kid: idp.kid() });
    const first = real.generation();
    // An unknown kid makes it fetch again (after the penalty box): the same keys, the same generation.
    clock.advance(60_000);
    await expect(real.getKey({ alg: 'RS256', kid: 'unknown' })).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    expect(idp.jwksFetches()).toBeGreaterThanOrEqual(2);
    expect(real.generation()).toBe(first);
    const kid = await idp.rotate();
    clock.advance(60_000);
    await real.getKey({ alg: 'RS256', kid });
    expect(real.generation()).toBe(first + 1);
  });
});
