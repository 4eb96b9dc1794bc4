/**
 * base^exp mod m for SRP's 3072-bit prime: the one costly step of every SRP operation (a verifier, a password check,
 * a challenge, a claim).
 *
 * Node has no modexp API, but OpenSSL's raw RSA public operation is one: `publicEncrypt` with `RSA_NO_PADDING` under
 * the public key (n = m, e = exp) returns base^exp mod m, for every base in 0..m-1, whatever subgroup it lies in.
 * OpenSSL accepts any exponent below n when n has at most 3072 bits (above that it caps e at 64 bits), asks nothing
 * of n but that it is odd, and does no prime or key validation on the way. Candidates measured on the 2-core CI
 * machine, CPU time per 3072-bit modexp with a 256-bit exponent (issue 11; `npm run bench:idp` prints the SRP costs):
 *
 * | candidate                                             | Node 20 | Node 22 | Node 24 | start-up per thread   |
 * |-------------------------------------------------------|---------|---------|---------|-----------------------|
 * | RSA public operation on a JWK key (this module)       | 0.57 ms | 0.59 ms | 0.59 ms | none                  |
 * | a new `createDiffieHellman(N, g)` per operation       | 0.62 ms | 0.75 ms | 1750 ms | none                  |
 * | one Diffie-Hellman object per thread, reused (a)      | 0.60 ms | 0.60 ms | 0.87 ms | 1,750 ms on Node 24   |
 * | fixed-base comb, g^e only (6-bit digits, 1.1 MB)      | 0.48 ms | 0.53 ms | 0.49 ms | 27-44 ms (its table)  |
 * | BigInt sliding window (w = 5), the fallback below     | 3.2 ms  | 3.2 ms  | 3.1 ms  | none                  |
 * | BigInt Montgomery (R = 2^3072, w = 5)                 | 3.6 ms  | 3.8 ms  | 3.5 ms  | none                  |
 * | BigInt square-and-multiply                            | 3.9 ms  | 4.0 ms  | 3.7 ms  | none                  |
 *
 * (a) g^e; base^e through `computeSecret` costs 6.3 ms on Node 22, which checks that the peer value lies in the
 * subgroup (and refuses it when not). On Node 24, OpenSSL 3.5 checks the 3072-bit prime whenever the object is built.
 * The comb would save 0.1 ms on g^e only (base^e still needs this module), for a per-thread table whose cost comes
 * close to the 50 ms start-up budget: not worth it.
 *
 * Neither path is constant-time: OpenSSL's public-key modexp, like BigInt arithmetic, takes time that depends on the
 * exponent. The previous Diffie-Hellman path was constant-time; this one trades that for speed on a local emulator.
 * @see https://docs.openssl.org/3.0/man3/RSA_public_encrypt/ (RSA_NO_PADDING: raw m^e mod n)
 */
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';

/** base^exp mod m by sliding-window square-and-multiply (window 5). Total: any base, exp >= 0, m >= 1. */
export function modPowWindow(base: bigint, exp: bigint, m: bigint): bigint {
  if (exp < 0n) throw new RangeError('negative exponent');
  const b = ((base % m) + m) % m;
  const WINDOW = 5;
  // Odd powers b^1, b^3, ..., b^31: every window below starts and ends with a 1 bit.
  const b2 = (b * b) % m;
  const odd: bigint[] = [b];
  for (let i = 1; i < 1 << (WINDOW - 1); i++) odd.push(((odd[i - 1] as bigint) * b2) % m);
  const bits = exp.toString(2);
  let r = 1n % m;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      r = (r * r) % m;
      i++;
      continue;
    }
    let j = Math.min(i + WINDOW, bits.length);
    while (bits[j - 1] === '0') j--;
    for (let k = i; k < j; k++) r = (r * r) % m;
    r = (r * (odd[Number.parseInt(bits.slice(i, j), 2) >> 1] as bigint)) % m;
    i = j;
  }
  return r;
}

function toBase64Url(n: bigint): string {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
}

/** The last modulus in its JWK form (SRP only ever uses one). */
let modulus: { m: bigint; n: string; bytes: number } | undefined;

/**
 * base^exp mod m through OpenSSL (see the header). Throws when OpenSSL refuses the operation: an even m, or an
 * exponent of m or more.
 */
export function modPowOpenSsl(base: bigint, exp: bigint, m: bigint): bigint {
  if (exp < 0n) throw new RangeError('negative exponent');
  if (modulus?.m !== m) modulus = { m, n: toBase64Url(m), bytes: Math.ceil(m.toString(16).length / 2) };
  const { n, bytes } = modulus;
  const key = createPublicKey({ key: { kty: 'RSA', n, e: toBase64Url(exp) }, format: 'jwk' });
  const b = ((base % m) + m) % m;
  const input = Buffer.from(b.toString(16).padStart(bytes * 2, '0'), 'hex');
  const out = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, input);
  return BigInt(`0x${out.toString('hex')}`);
}

/**
 * base^exp mod m: OpenSSL when it takes the operation, else the BigInt window (exponents of m or more, an even m, or
 * a build of OpenSSL that refuses). Both give the same result for every input; the tests check each against plain
 * square-and-multiply.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (exp >= 0n && exp < m && (m & 1n) === 1n) {
    try {
      return modPowOpenSsl(base, exp, m);
    } catch {
      // fall through to BigInt
    }
  }
  return modPowWindow(base, exp, m);
}
