import { createHash } from 'node:crypto';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { base64url, decodeJwt, decodeProtectedHeader, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import type { MintInput, StoredKey } from './index.js';
import {
  generatePoolKeys,
  jwksDocument,
  mintTokens,
  PoolSigner,
  PoolTokenError,
  verifyPoolToken,
} from './index.js';

const POOL_ID = 'us-east-1_AbCdEf123';
const LOCAL_ISSUER = `http://127.0.0.1:9229/${POOL_ID}`;
const AWS_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
const CLIENT_ID = '3n4b5urk1ft4fl3mg5e62d9ado';
const SUB = '0f6c3b0e-9c1d-4f39-8a55-5c6d2a0c1e77';

let keys: StoredKey[];
let signer: PoolSigner;
let otherSigner: PoolSigner;

beforeAll(async () => {
  keys = await generatePoolKeys();
  signer = await PoolSigner.create(keys);
  otherSigner = await PoolSigner.create(await generatePoolKeys());
});

function input(over: Partial<MintInput> = {}): MintInput {
  return {
    issuer: LOCAL_ISSUER,
    clientId: CLIENT_ID,
    sub: SUB,
    username: SUB,
    attributes: { sub: 'attacker', email: 'jo@example.com', email_verified: 'true', 'custom:tier': '3' },
    groups: ['admins', 'readers'],
    scopes: ['aws.cognito.signin.user.admin'],
    authTime: 1_767_225_600,
    originJti: 'origin-1',
    eventId: 'event-1',
    idTokenValiditySec: 3600,
    accessTokenValiditySec: 3600,
    includeIdToken: true,
    ...over,
  };
}

const START = Date.UTC(2026, 0, 1);

describe('pool keys and JWKS', () => {
  it('generates one RS256 key for id tokens and one for access tokens with distinct Cognito-like kids', () => {
    expect(keys.map((k) => k.use).sort()).toEqual(['access', 'id']);
    const [a, b] = keys as [StoredKey, StoredKey];
    expect(a.kid).not.toBe(b.kid);
    for (const k of keys) {
      expect(k.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(k.privateJwk.d).toBeTypeOf('string');
      expect(k.publicJwk.d).toBeUndefined();
      expect(Buffer.from(k.publicJwk.n as string, 'base64url').length).toBe(256);
    }
  });

  it('publishes only public members in the JWKS document', () => {
    const doc = jwksDocument(keys);
    expect(doc.keys).toHaveLength(2);
    for (const jwk of doc.keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(jwk).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' });
    }
    expect(signer.jwks()).toEqual(doc);
  });

  it('refuses to build a signer without a key for each token use', async () => {
    await expect(PoolSigner.create(keys.filter((k) => k.use === 'id'))).rejects.toThrow(/access/);
  });
});

describe('minting', () => {
  it('mints an access token with exactly Cognito claim set and no aud', async () => {
    const { accessToken, expiresIn, accessJti } = await mintTokens(signer, START + 999, input());
    const claims = decodeJwt(accessToken);
    expect(Object.keys(claims).sort()).toEqual(
      [
        'auth_time',
        'client_id',
        'cognito:groups',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
        'version',
      ].sort(),
    );
    const iat = Math.floor(START / 1000);
    expect(claims).toMatchObject({
      sub: SUB,
      'cognito:groups': ['admins', 'readers'],
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: 1_767_225_600,
      iss: LOCAL_ISSUER,
      exp: iat + 3600,
      iat,
      jti: accessJti,
      origin_jti: 'origin-1',
      event_id: 'event-1',
      client_id: CLIENT_ID,
      username: SUB,
      version: 2,
    });
    expect(expiresIn).toBe(3600);
  });

  it('mints an id token with typed attributes, aud and no attribute shadowing sub', async () => {
    const { idToken } = await mintTokens(signer, START, input({ idTokenValiditySec: 300 }));
    const claims = decodeJwt(idToken as string);
    const iat = Math.floor(START / 1000);
    expect(claims).toEqual({
      sub: SUB,
      aud: CLIENT_ID,
      email: 'jo@example.com',
      email_verified: true,
      'custom:tier': '3',
      'cognito:groups': ['admins', 'readers'],
      'cognito:username': SUB,
      token_use: 'id',
      auth_time: 1_767_225_600,
      iss: LOCAL_ISSUER,
      origin_jti: 'origin-1',
      event_id: 'event-1',
      exp: iat + 300,
      iat,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('leaves out cognito:groups, event_id, nonce and at_hash when there are none', async () => {
    const { accessToken, idToken } = await mintTokens(
      signer,
      START,
      input({ groups: [], eventId: undefined }),
    );
    for (const t of [accessToken, idToken as string]) {
      const claims = decodeJwt(t);
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims).not.toHaveProperty('event_id');
      expect(claims).not.toHaveProperty('nonce');
      expect(claims).not.toHaveProperty('at_hash');
    }
    expect(decodeJwt(idToken as string).email_verified).toBe(true);
    const unverified = await mintTokens(signer, START, input({ attributes: { email_verified: 'false' } }));
    expect(decodeJwt(unverified.idToken as string).email_verified).toBe(false);
  });

  it('signs id and access tokens with their own keys and a header of only kid and alg', async () => {
    const { accessToken, idToken } = await mintTokens(signer, START, input());
    const idKid = keys.find((k) => k.use === 'id')?.kid;
    const accessKid = keys.find((k) => k.use === 'access')?.kid;
    expect(decodeProtectedHeader(accessToken)).toEqual({ kid: accessKid, alg: 'RS256' });
    expect(decodeProtectedHeader(idToken as string)).toEqual({ kid: idKid, alg: 'RS256' });
  });

  it('adds nonce and an at_hash that matches a recomputation over the access token', async () => {
    const { accessToken, idToken } = await mintTokens(
      signer,
      START,
      input({ nonce: 'n-0S6_WzA2Mj', eventId: undefined }),
    );
    const claims = decodeJwt(idToken as string);
    expect(claims.nonce).toBe('n-0S6_WzA2Mj');
    const digest = createHash('sha256').update(Buffer.from(accessToken, 'ascii')).digest();
    expect(claims.at_hash).toBe(base64url.encode(digest.subarray(0, 16)));
    expect(claims.at_hash).toHaveLength(22);
  });

  it('adds at_hash without a nonce when the hosted flow asks for it', async () => {
    const { accessToken, idToken } = await mintTokens(signer, START, input({ atHash: true }));
    const digest = createHash('sha256').update(accessToken).digest();
    expect(decodeJwt(idToken as string).at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    expect(decodeJwt(idToken as string)).not.toHaveProperty('nonce');
  });

  it('refuses to mint tokens with a validity that is not a positive number of seconds', async () => {
    await expect(mintTokens(signer, START, input({ accessTokenValiditySec: 0 }))).rejects.toThrow(
      /accessTokenValiditySec/,
    );
    await expect(mintTokens(signer, START, input({ idTokenValiditySec: 1.5 }))).rejects.toThrow(
      /idTokenValiditySec/,
    );
  });

  it('mints the granted OAuth scopes and no id token when openid was not granted', async () => {
    const out = await mintTokens(
      signer,
      START,
      input({ scopes: ['email', 'api/read'], includeIdToken: false }),
    );
    expect(out.idToken).toBeUndefined();
    expect(decodeJwt(out.accessToken).scope).toBe('email api/read');
  });

  it('mints a client_credentials access token whose subject is the client and that names no user', async () => {
    const out = await mintTokens(
      signer,
      START,
      input({ clientCredentials: true, includeIdToken: true, scopes: ['api/read'], eventId: undefined }),
    );
    expect(out.idToken).toBeUndefined();
    const claims = decodeJwt(out.accessToken);
    expect(claims.sub).toBe(CLIENT_ID);
    expect(claims.client_id).toBe(CLIENT_ID);
    expect(claims).not.toHaveProperty('username');
    expect(claims).not.toHaveProperty('cognito:groups');
    expect(claims).toMatchObject({ token_use: 'access', scope: 'api/read', version: 2 });
  });

  it('applies PreTokenGeneration overrides but never to protected claims', async () => {
    const out = await mintTokens(
      signer,
      START,
      input({
        idClaimsOverride: { add: { tenant: 'acme', sub: 'evil', iss: 'evil' }, suppress: ['email', 'aud'] },
        accessClaimsOverride: {
          add: { tenant: 'acme', client_id: 'evil' },
          suppress: ['username'],
          scopesToAdd: ['api/write'],
          scopesToSuppress: ['aws.cognito.signin.user.admin'],
        },
        groupOverride: { groupsToOverride: ['vip'] },
      }),
    );
    const id = decodeJwt(out.idToken as string);
    const access = decodeJwt(out.accessToken);
    expect(id).toMatchObject({
      tenant: 'acme',
      sub: SUB,
      iss: LOCAL_ISSUER,
      aud: CLIENT_ID,
      'cognito:groups': ['vip'],
    });
    expect(id).not.toHaveProperty('email');
    expect(access).toMatchObject({ tenant: 'acme', client_id: CLIENT_ID, username: SUB, scope: 'api/write' });
    expect(access['cognito:groups']).toEqual(['vip']);
  });
});

describe('verifying pool tokens', () => {
  async function reason(p: Promise<unknown>): Promise<string> {
    try {
      await p;
      return 'accepted';
    } catch (err) {
      expect(err).toBeInstanceOf(PoolTokenError);
      return (err as PoolTokenError).expired ? 'expired' : 'invalid';
    }
  }

  it('accepts its own access and id tokens until they expire, by the injected clock', async () => {
    const clock = new FakeClock(START);
    const { accessToken, idToken } = await mintTokens(signer, clock.now(), input());
    const access = await verifyPoolToken(signer, accessToken, {
      issuer: LOCAL_ISSUER,
      tokenUse: 'access',
      now: clock.now(),
    });
    expect(access.username).toBe(SUB);
    const id = await verifyPoolToken(signer, idToken as string, {
      issuer: LOCAL_ISSUER,
      tokenUse: 'id',
      now: clock.now(),
    });
    expect(id.aud).toBe(CLIENT_ID);
    clock.advance(3599_000);
    expect(
      await reason(
        verifyPoolToken(signer, accessToken, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: clock.now() }),
      ),
    ).toBe('accepted');
    clock.advance(1_000);
    expect(
      await reason(
        verifyPoolToken(signer, accessToken, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: clock.now() }),
      ),
    ).toBe('expired');
  });

  it('rejects a token whose signature was tampered with', async () => {
    const { accessToken } = await mintTokens(signer, START, input());
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.username = 'someone-else';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect(
      await reason(verifyPoolToken(signer, forged, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START })),
    ).toBe('invalid');
  });

  it('rejects an unsigned alg:none token', async () => {
    const none = new UnsecuredJWT({ ...decodeJwt((await mintTokens(signer, START, input())).accessToken) })
      .setIssuer(LOCAL_ISSUER)
      .encode();
    expect(
      await reason(verifyPoolToken(signer, none, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START })),
    ).toBe('invalid');
  });

  it('rejects an HS256 token keyed with the public key material (algorithm confusion)', async () => {
    const accessKey = keys.find((k) => k.use === 'access') as StoredKey;
    const secret = new TextEncoder().encode(JSON.stringify(accessKey.publicJwk));
    const hs = await new SignJWT({
      token_use: 'access',
      iss: LOCAL_ISSUER,
      exp: START / 1000 + 60,
      iat: START / 1000,
    })
      .setProtectedHeader({ alg: 'HS256', kid: accessKey.kid })
      .sign(secret);
    expect(
      await reason(verifyPoolToken(signer, hs, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START })),
    ).toBe('invalid');
  });

  it('rejects a token from another pool even with the same issuer', async () => {
    const { accessToken } = await mintTokens(otherSigner, START, input());
    expect(
      await reason(
        verifyPoolToken(signer, accessToken, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START }),
      ),
    ).toBe('invalid');
  });

  it('rejects a token whose issuer is another pool', async () => {
    const { accessToken } = await mintTokens(
      signer,
      START,
      input({ issuer: 'http://127.0.0.1:9229/us-east-1_Other0000' }),
    );
    expect(
      await reason(
        verifyPoolToken(signer, accessToken, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START }),
      ),
    ).toBe('invalid');
  });

  it('rejects an id token offered as an access token', async () => {
    const { idToken } = await mintTokens(signer, START, input());
    expect(
      await reason(
        verifyPoolToken(signer, idToken as string, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START }),
      ),
    ).toBe('invalid');
  });

  it('rejects access claims signed with the id-token key', async () => {
    const idKey = keys.find((k) => k.use === 'id') as StoredKey;
    const claims = decodeJwt((await mintTokens(signer, START, input())).accessToken);
    const crossSigned = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: idKey.kid })
      .sign(await importJWK(idKey.privateJwk, 'RS256'));
    expect(
      await reason(
        verifyPoolToken(signer, crossSigned, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START }),
      ),
    ).toBe('invalid');
  });

  it('rejects garbage without throwing anything but its marker error', async () => {
    for (const junk of ['', 'abc', 'a.b.c', `${'x'.repeat(20_000)}`, 'eyJhbGciOiJSUzI1NiJ9..']) {
      expect(
        await reason(verifyPoolToken(signer, junk, { issuer: LOCAL_ISSUER, tokenUse: 'access', now: START })),
      ).toBe('invalid');
    }
  });
});

describe('aws-jwt-verify as the oracle', () => {
  it('verifies both tokens with CognitoJwtVerifier in aws issuer form with the cached JWKS', async () => {
    // aws-jwt-verify checks exp against the real clock, so this one test mints at the real time.
    const { accessToken, idToken } = await mintTokens(signer, Date.now(), input({ issuer: AWS_ISSUER }));
    const idVerifier = CognitoJwtVerifier.create({
      userPoolId: POOL_ID,
      tokenUse: 'id',
      clientId: CLIENT_ID,
    });
    idVerifier.cacheJwks(jwksDocument(keys));
    const accessVerifier = CognitoJwtVerifier.create({
      userPoolId: POOL_ID,
      tokenUse: 'access',
      clientId: CLIENT_ID,
      groups: 'admins',
      scope: 'aws.cognito.signin.user.admin',
    });
    accessVerifier.cacheJwks(jwksDocument(keys));
    await expect(idVerifier.verify(idToken as string)).resolves.toMatchObject({
      sub: SUB,
      email_verified: true,
    });
    await expect(accessVerifier.verify(accessToken)).resolves.toMatchObject({ sub: SUB, version: 2 });
    const wrongClient = CognitoJwtVerifier.create({
      userPoolId: POOL_ID,
      tokenUse: 'access',
      clientId: 'another',
    });
    wrongClient.cacheJwks(jwksDocument(keys));
    await expect(wrongClient.verify(accessToken)).rejects.toThrow();
  });

  it('verifies both tokens with JwtVerifier and validateCognitoJwtFields for the local issuer', async () => {
    const { accessToken, idToken } = await mintTokens(signer, Date.now(), input());
    for (const tokenUse of ['id', 'access'] as const) {
      const verifier = JwtVerifier.create({
        issuer: LOCAL_ISSUER,
        audience: null,
        jwksUri: `${LOCAL_ISSUER}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) =>
          validateCognitoJwtFields(payload, { tokenUse, clientId: CLIENT_ID, groups: null }),
      });
      verifier.cacheJwks(jwksDocument(keys));
      await expect(
        verifier.verify(tokenUse === 'id' ? (idToken as string) : accessToken),
      ).resolves.toMatchObject({
        token_use: tokenUse,
      });
    }
  });
});
