import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createVerifier,
  formatTimestamp,
  N,
  newSecretBlock,
  padHex,
  parseTimestamp,
  poolShortName,
  simulatedChallenge,
  startSession,
  verifyClaim,
  verifyPassword,
} from './index.js';

// The real client: amazon-cognito-identity-js's own SRP helper, its BigInteger and the hash it signs with.
const require = createRequire(import.meta.url);
const clientRequire = createRequire(require.resolve('amazon-cognito-identity-js/package.json'));
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;
const DateHelper = require('amazon-cognito-identity-js/lib/DateHelper.js').default;
const { Sha256 } = clientRequire('@aws-crypto/sha256-js');

const POOL_ID = 'us-east-1_AbCdEf123';
const USER = '6f1c2c1e-8a53-4f53-9d3c-0c9b1f2f4a11';
const PASSWORD = 'Corr3ct-Horse!';

interface ClientClaim {
  A: string;
  signatureB64: string;
}

/**
 * What CognitoUser.authenticateUserDefaultAuth does with the PASSWORD_VERIFIER challenge parameters: compute A, the
 * HKDF key via getPasswordAuthenticationKey, then HMAC(poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK ‖ TIMESTAMP).
 */
function clientClaim(p: {
  username: string;
  password: string;
  srpB: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}): ClientClaim {
  const helper = new AuthenticationHelper(poolShortName(POOL_ID));
  let A = '';
  helper.getLargeAValue((err: unknown, a: { toString(radix: number): string }) => {
    if (err) throw err;
    A = a.toString(16);
  });
  let hkdf: Uint8Array | undefined;
  helper.getPasswordAuthenticationKey(
    p.username,
    p.password,
    new BigInteger(p.srpB, 16),
    new BigInteger(p.salt, 16),
    (err: unknown, key: Uint8Array) => {
      if (err) throw err;
      hkdf = key;
    },
  );
  if (!hkdf) throw new Error('the client did not derive a key');
  const concat = Buffer.concat([
    Buffer.from(poolShortName(POOL_ID), 'utf8'),
    Buffer.from(p.username, 'utf8'),
    Buffer.from(p.secretBlock, 'base64'),
    Buffer.from(p.timestamp, 'utf8'),
  ]);
  const mac = new Sha256(hkdf);
  mac.update(concat);
  return { A, signatureB64: Buffer.from(mac.digestSync()).toString('base64') };
}

/** One full exchange: registration, step 1 on the server, the client's claim. */
function exchange(password = PASSWORD, clientPassword = password) {
  const { salt, verifier } = createVerifier(POOL_ID, USER, password);
  const { b, B } = startSession(verifier);
  const secretBlock = newSecretBlock();
  const timestamp = formatTimestamp(Date.UTC(2024, 8, 3, 10, 23, 1));
  const claim = clientClaim({
    username: USER,
    password: clientPassword,
    srpB: B,
    salt,
    secretBlock,
    timestamp,
  });
  const input = {
    poolId: POOL_ID,
    userIdForSrp: USER,
    saltHex: salt,
    verifierHex: verifier,
    A: claim.A,
    b,
    B,
    secretBlockB64: secretBlock,
    timestamp,
    signatureB64: claim.signatureB64,
  };
  return { input, salt, verifier };
}

/** The key an attacker can derive without the password when A ≡ 0 (mod N) forces S = 0. */
function forgedZeroSignature(A: bigint, B: string, secretBlock: string, timestamp: string): string {
  return signatureFromS(0n, A, B, secretBlock, timestamp);
}

/** The PASSWORD_CLAIM_SIGNATURE for a given premaster secret S, written out with plain BigInt maths. */
function signatureFromS(S: bigint, A: bigint, B: string, secretBlock: string, timestamp: string): string {
  const u = createHash('sha256')
    .update(Buffer.from(padHex(A) + padHex(BigInt(`0x${B}`)), 'hex'))
    .digest('hex');
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(padHex(S), 'hex'),
      Buffer.from(padHex(BigInt(`0x${u}`)), 'hex'),
      'Caldera Derived Key',
      16,
    ),
  );
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolShortName(POOL_ID)),
        Buffer.from(USER),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
}

describe('SRP maths against amazon-cognito-identity-js', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts the signature the real client computes with the right password', () => {
    // Several rounds: B − k·g^x is negative in about half of them on the client side, salts vary in leading bits.
    for (let i = 0; i < 4; i++) {
      expect(verifyClaim(exchange().input)).toBe(true);
    }
  });

  it('accepts a password with non-ASCII characters and a username that is an email', () => {
    const { salt, verifier } = createVerifier(POOL_ID, 'jo@example.com', 'Pässwörd-✓1');
    const { b, B } = startSession(verifier);
    const secretBlock = newSecretBlock();
    const timestamp = formatTimestamp(Date.UTC(2025, 0, 9, 1, 2, 3));
    const helperInput = {
      username: 'jo@example.com',
      password: 'Pässwörd-✓1',
      srpB: B,
      salt,
      secretBlock,
      timestamp,
    };
    const claim = clientClaim(helperInput);
    const ok = verifyClaim({
      poolId: POOL_ID,
      userIdForSrp: 'jo@example.com',
      saltHex: salt,
      verifierHex: verifier,
      A: claim.A,
      b,
      B,
      secretBlockB64: secretBlock,
      timestamp,
      signatureB64: claim.signatureB64,
    });
    expect(ok).toBe(true);
  });

  it('rejects the signature of a wrong password', () => {
    expect(verifyClaim(exchange(PASSWORD, 'Wrong-Horse!1').input)).toBe(false);
  });

  it('rejects a claim whose timestamp differs from the signed one', () => {
    const { input } = exchange();
    expect(verifyClaim({ ...input, timestamp: formatTimestamp(Date.UTC(2024, 8, 3, 10, 23, 2)) })).toBe(
      false,
    );
  });

  it('rejects a claim with a tampered secret block', () => {
    const { input } = exchange();
    const block = Buffer.from(input.secretBlockB64, 'base64');
    block[0] = (block[0] as number) ^ 1;
    expect(verifyClaim({ ...input, secretBlockB64: block.toString('base64') })).toBe(false);
  });

  it('rejects a claim for another user id with the same maths', () => {
    const { input } = exchange();
    expect(verifyClaim({ ...input, userIdForSrp: `${USER}x` })).toBe(false);
  });

  it('rejects A = 0 even with the signature an attacker can forge from S = 0', () => {
    const { input } = exchange();
    const sig = forgedZeroSignature(0n, input.B, input.secretBlockB64, input.timestamp);
    expect(verifyClaim({ ...input, A: '0', signatureB64: sig })).toBe(false);
  });

  it('rejects A = N and A = 2N even with the signature forged from S = 0', () => {
    const { input } = exchange();
    for (const A of [N, 2n * N]) {
      const sig = forgedZeroSignature(A, input.B, input.secretBlockB64, input.timestamp);
      expect(verifyClaim({ ...input, A: A.toString(16), signatureB64: sig })).toBe(false);
    }
  });

  it('derives S for an A outside the subgroup exactly as plain BigInt square-and-multiply does', () => {
    // A client may send any A in 1..N-1 (or above N); only half of them lie in the subgroup g = 2 generates.
    const pow = (base: bigint, exp: bigint) => {
      let r = 1n;
      let x = base % N;
      for (let e = exp; e > 0n; e >>= 1n) {
        if (e & 1n) r = (r * x) % N;
        x = (x * x) % N;
      }
      return r;
    };
    const { input } = exchange();
    const nonResidue = N - 1n; // -1 is not a square mod N (N = 3 mod 4)
    const randomA = BigInt(`0x${randomBytes(384).toString('hex')}`);
    for (const A of [nonResidue, (nonResidue * 3n) % N, randomA, randomA + N]) {
      const B = BigInt(`0x${input.B}`);
      const u = BigInt(
        `0x${createHash('sha256')
          .update(Buffer.from(padHex(A) + padHex(B), 'hex'))
          .digest('hex')}`,
      );
      const S = pow((A % N) * pow(BigInt(`0x${input.verifierHex}`), u), BigInt(`0x${input.b}`));
      const claim = { ...input, A: A.toString(16) };
      const sign = (s: bigint) => signatureFromS(s, A, input.B, input.secretBlockB64, input.timestamp);
      expect(verifyClaim({ ...claim, signatureB64: sign(S) })).toBe(true);
      expect(verifyClaim({ ...claim, signatureB64: sign((S + 1n) % N) })).toBe(false);
    }
  });

  it('returns false instead of throwing on malformed input', () => {
    const { input } = exchange();
    const bad: Array<Partial<typeof input>> = [
      { A: 'not-hex' },
      { A: '' },
      { A: 'f'.repeat(5000) },
      { b: 'zz' },
      { verifierHex: '' },
      { signatureB64: '' },
      { signatureB64: '!!!' },
      { signatureB64: undefined as unknown as string },
      { timestamp: 42 as unknown as string },
    ];
    for (const change of bad) {
      expect(verifyClaim({ ...input, ...change })).toBe(false);
    }
  });

  it('verifies a plain password against the stored salt and verifier', () => {
    const { salt, verifier } = createVerifier(POOL_ID, USER, PASSWORD);
    expect(verifyPassword(POOL_ID, USER, PASSWORD, salt, verifier)).toBe(true);
    expect(verifyPassword(POOL_ID, USER, `${PASSWORD}x`, salt, verifier)).toBe(false);
    expect(verifyPassword(POOL_ID, 'someone-else', PASSWORD, salt, verifier)).toBe(false);
    expect(verifyPassword('us-east-1_Other0000', USER, PASSWORD, salt, verifier)).toBe(false);
    expect(verifyPassword(POOL_ID, USER, PASSWORD, salt, 'xyz')).toBe(false);
    expect(verifyPassword(POOL_ID, USER, PASSWORD, 'not hex', verifier)).toBe(false);
  });

  it('derives the same verifier as the client maths would (x from the padded salt)', () => {
    // A salt whose top bit is set must be hashed with a leading 00, as the client's padHex does.
    for (let i = 0; i < 8; i++) {
      const { salt, verifier } = createVerifier(POOL_ID, USER, PASSWORD);
      const inner = createHash('sha256')
        .update(`${poolShortName(POOL_ID)}${USER}:${PASSWORD}`)
        .digest('hex');
      const x = new BigInteger(
        createHash('sha256')
          .update(Buffer.from(new AuthenticationHelper('x').padHex(new BigInteger(salt, 16)) + inner, 'hex'))
          .digest('hex'),
        16,
      );
      let v = '';
      new BigInteger('2', 16).modPow(
        x,
        new BigInteger(N.toString(16), 16),
        (_e: unknown, r: { toString(n: number): string }) => {
          v = r.toString(16);
        },
      );
      expect(verifier).toBe(v);
    }
  });

  it('stores no password material beyond salt and verifier', () => {
    const out = createVerifier(POOL_ID, USER, PASSWORD);
    expect(Object.keys(out).sort()).toEqual(['salt', 'verifier']);
    expect(out.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('issues B values below N that are fresh for each session', () => {
    const { verifier } = createVerifier(POOL_ID, USER, PASSWORD);
    const one = startSession(verifier);
    const two = startSession(verifier);
    expect(one.B).not.toBe(two.B);
    expect(BigInt(`0x${one.B}`) < N).toBe(true);
    expect(BigInt(`0x${one.b}`) > 0n).toBe(true);
  });

  it('simulates a stable salt and a fresh B for an unknown user', () => {
    const secret = randomBytes(32);
    const a = simulatedChallenge(POOL_ID, 'ghost', secret);
    const b = simulatedChallenge(POOL_ID, 'ghost', secret);
    const other = simulatedChallenge(POOL_ID, 'phantom', secret);
    expect(a.salt).toBe(b.salt);
    expect(a.B).not.toBe(b.B);
    expect(other.salt).not.toBe(a.salt);
    expect(a.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(simulatedChallenge(POOL_ID, 'ghost', randomBytes(32)).salt).not.toBe(a.salt);
    // The real client can run its maths on the fake challenge without tripping over it.
    expect(() =>
      clientClaim({
        username: 'ghost',
        password: 'x',
        srpB: a.B,
        salt: a.salt,
        secretBlock: newSecretBlock(),
        timestamp: 'now',
      }),
    ).not.toThrow();
  });

  it('issues secret blocks that are long, random and base64', () => {
    const one = newSecretBlock();
    expect(Buffer.from(one, 'base64').length).toBeGreaterThanOrEqual(64);
    expect(one).not.toBe(newSecretBlock());
  });

  it('formats timestamps exactly as the client DateHelper does', () => {
    const dates = [
      Date.UTC(2024, 8, 3, 10, 23, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59),
      Date.UTC(2025, 1, 10, 0, 0, 9),
    ];
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const ms of dates) {
      vi.setSystemTime(ms);
      expect(formatTimestamp(ms)).toBe(new DateHelper().getNowString());
    }
    expect(formatTimestamp(Date.UTC(2024, 8, 3, 10, 23, 1))).toBe('Tue Sep 3 10:23:01 UTC 2024');
  });

  it('parses timestamps back and refuses impossible dates', () => {
    const ms = Date.UTC(2024, 8, 3, 10, 23, 1);
    expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
    expect(parseTimestamp('Tue Sep 03 10:23:01 UTC 2024')).toBe(ms);
    expect(parseTimestamp('Wed Sep 3 10:23:01 UTC 2024')).toBeUndefined();
    expect(parseTimestamp('Tue Sep 31 10:23:01 UTC 2024')).toBeUndefined();
    expect(parseTimestamp('2024-09-03T10:23:01Z')).toBeUndefined();
  });

  it('pads hex exactly like the client padHex, including leading zeros and a set top bit', () => {
    const client = new AuthenticationHelper('x');
    for (const hex of ['0', '1', '7f', '80', 'ff', '100', '00ab', '0080', 'f'.repeat(64), N.toString(16)]) {
      expect(padHex(BigInt(`0x${hex}`))).toBe(client.padHex(new BigInteger(hex, 16)));
    }
  });

  it('computes the pool short name from the pool id', () => {
    expect(poolShortName('us-east-1_AbCdEf123')).toBe('AbCdEf123');
  });
});
