import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { N } from './index.js';
import { modPow, modPowOpenSsl, modPowWindow } from './modexp.js';

/** The reference: textbook right-to-left square-and-multiply, nothing clever. */
function plain(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n % m;
  let b = ((base % m) + m) % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
const q = (N - 1n) / 2n;

/**
 * Bases of every kind: random below N (about half lie outside the subgroup of order q that g = 2 generates), squares
 * (inside it), N - 1 (order 2), 0, 1, and values of N or more or negative that must be reduced first.
 */
function bases(count: number): bigint[] {
  const out = [0n, 1n, 2n, N - 1n, N, N + 5n, 2n * N - 1n, -3n];
  for (let i = 0; i < count; i++) {
    const r = random(384) % N;
    out.push(r, (r * r) % N, random(400), -random(32));
  }
  return out;
}

/** Exponents of the sizes SRP uses (256 bits), small ones, and large ones up to N - 1. */
function exponents(count: number): bigint[] {
  const out = [0n, 1n, 2n, 3n, q, N - 2n, N - 1n];
  for (let i = 0; i < count; i++) out.push(random(32), random(1 + (i % 8)), random(384) % N);
  return out;
}

const paths = { modPow, modPowOpenSsl, modPowWindow };

describe('modular exponentiation modulo the SRP prime', () => {
  // Each base with a few exponents, the reference computed once (full 3072-bit exponents cost ~10 ms each in it).
  const es = exponents(3);
  const cases = bases(4).flatMap((base, i) =>
    [es[i % es.length], es[(i * 7 + 3) % es.length], random(32)].map((exp) => {
      const e = exp as bigint;
      return { base, exp: e, want: plain(base, e, N) };
    }),
  );

  for (const [name, pow] of Object.entries(paths)) {
    it(`${name} agrees with plain BigInt square-and-multiply on random and edge inputs`, () => {
      for (const { base, exp, want } of cases) expect(pow(base, exp, N), `${base} ^ ${exp}`).toBe(want);
    });
  }

  it('puts a value outside the subgroup outside it and one inside it inside (Euler criterion)', () => {
    // 2 is a square mod N (N = 7 mod 8); -1 (= N - 1) is not, since N = 3 mod 4.
    expect(modPow(2n, q, N)).toBe(1n);
    expect(modPow(N - 1n, q, N)).toBe(N - 1n);
    expect(modPowWindow(N - 1n, q, N)).toBe(N - 1n);
  });

  it('takes exponents of N or more through the BigInt path, which OpenSSL refuses', () => {
    for (const exp of [N, N + 1n, 2n * N + 12345n]) {
      expect(() => modPowOpenSsl(3n, exp, N)).toThrow();
      expect(modPow(3n, exp, N)).toBe(plain(3n, exp, N));
    }
  });

  it('works for other odd and even moduli, falling back to BigInt where OpenSSL cannot (even m)', () => {
    for (const m of [random(64) | 1n, random(128) & ~1n, 97n, 1n << 89n]) {
      for (let i = 0; i < 5; i++) {
        const base = random(20);
        const exp = random(8) % m;
        expect(modPow(base, exp, m)).toBe(plain(base, exp, m));
        expect(modPowWindow(base, exp, m)).toBe(plain(base, exp, m));
      }
    }
  });

  it('refuses negative exponents on every path', () => {
    expect(() => modPow(2n, -1n, N)).toThrow(RangeError);
    expect(() => modPowOpenSsl(2n, -1n, N)).toThrow(RangeError);
  });
});
