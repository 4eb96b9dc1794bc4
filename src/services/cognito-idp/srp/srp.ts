/**
 * Cognito's SRP-6a, server side, written with node:crypto and BigInt so that it interoperates exactly with the
 * client maths of amazon-cognito-identity-js (`AuthenticationHelper.js`) and Amplify.
 *
 * We keep only the salt and verifier v = g^x mod N per user (Cognito's own design): the password itself is never
 * stored. USER_PASSWORD_AUTH is checked by recomputing v from the offered password.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow.html
 * @see https://www.rfc-editor.org/rfc/rfc5054 (SRP for TLS: the 3072-bit group and the k multiplier)
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { modPow } from './modexp.js';

/** RFC 5054's 3072-bit group, the one amazon-cognito-identity-js hard-codes. */
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
const N_BYTES = N_HEX.length / 2;
const INFO = 'Caldera Derived Key';
/** Anything longer than N (plus a sign byte) in hex cannot be a group element; refuse it before doing maths. */
const MAX_HEX = N_BYTES * 2 + 2;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * Java BigInteger.toByteArray() as hex, as the client's `padHex` does for non-negative values: even length, with a
 * leading `00` when the top bit is set. Every hash input in Cognito's SRP goes through this.
 */
export function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

function toBig(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** k = H(PAD(N) || PAD(g)). */
const k = toBig(hexHash(padHex(N) + padHex(g)));

function toFixed(n: bigint, bytes: number): Buffer {
  return Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex');
}

/** g^e mod N. About 0.7 ms on Node 20, 22 and 24 alike (see ./modexp.ts for the candidates measured). */
function powG(e: bigint): bigint {
  return modPow(g, e, N);
}

/** base^e mod N for any base, in or outside the subgroup g generates. */
function modPowN(base: bigint, e: bigint): bigint {
  return modPow(base, e, N);
}

/** The pool-ID suffix after `_` (`us-east-1_AbC123xyz` → `AbC123xyz`), which Cognito mixes into x and the signature. */
export function poolShortName(poolId: string): string {
  const i = poolId.indexOf('_');
  return i === -1 ? poolId : poolId.slice(i + 1);
}

/** x = H(PAD(salt) || H(poolShortName + userIdForSrp + ':' + password)); the salt is read as a number, as the client does. */
function computeX(poolId: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const inner = sha256Hex(Buffer.from(`${poolShortName(poolId)}${userIdForSrp}:${password}`, 'utf8'));
  return toBig(hexHash(padHex(toBig(saltHex)) + inner));
}

/**
 * Registration: a random 16-byte salt and the verifier v = g^x mod N. Only these two are stored.
 * `userIdForSrp` is the USER_ID_FOR_SRP the pool will send in the challenge (the internal username).
 */
export function createVerifier(
  poolId: string,
  userIdForSrp: string,
  password: string,
): { salt: string; verifier: string } {
  const salt = randomBytes(16).toString('hex');
  const x = computeX(poolId, userIdForSrp, password, salt);
  return { salt, verifier: powG(x).toString(16) };
}

/**
 * Step 1 (InitiateAuth USER_SRP_AUTH), server side: a random 256-bit b and B = (k·v + g^b) mod N.
 * The caller keeps b and B in its session state and sends B as SRP_B.
 */
export function startSession(verifierHex: string): { b: string; B: string } {
  const v = toBig(verifierHex);
  for (;;) {
    const b = toBig(randomBytes(32).toString('hex'));
    const B = (k * v + powG(b)) % N;
    // SRP-6a: the client aborts on B % N == 0; practically unreachable, but never send it.
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

function parseHex(hex: string): bigint | undefined {
  if (typeof hex !== 'string' || hex.length === 0 || hex.length > MAX_HEX || !HEX.test(hex)) return undefined;
  return toBig(hex);
}

/**
 * The expected PASSWORD_CLAIM_SIGNATURE bytes, or undefined for inputs that make the exchange unsafe
 * (A ≡ 0 mod N, u = 0) or malformed.
 */
function expectedSignature(p: {
  /** The name mixed into the signature: the pool-ID suffix for users, the DeviceGroupKey for devices. */
  poolName: string;
  userIdForSrp: string;
  verifierHex: string;
  A: string;
  b: string;
  B: string;
  secretBlockB64: string;
  timestamp: string;
}): Buffer | undefined {
  const A = parseHex(p.A);
  const b = parseHex(p.b);
  const B = parseHex(p.B);
  const v = parseHex(p.verifierHex);
  if (A === undefined || b === undefined || B === undefined || v === undefined) return undefined;
  // SRP-6a safeguard: A ≡ 0 (mod N) would force S = 0 and let anyone sign without the password.
  if (A % N === 0n) return undefined;
  const u = toBig(hexHash(padHex(A) + padHex(B)));
  if (u === 0n) return undefined;
  // S = (A · v^u)^b mod N; the client reaches the same value as (B − k·g^x)^(a + u·x).
  const S = modPowN((A % N) * modPowN(v, u), b);
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), INFO, 16),
  );
  return createHmac('sha256', key)
    .update(Buffer.from(p.poolName, 'utf8'))
    .update(Buffer.from(p.userIdForSrp, 'utf8'))
    .update(Buffer.from(p.secretBlockB64, 'base64'))
    .update(Buffer.from(p.timestamp, 'utf8'))
    .digest();
}

/** The exchange both claims share: the session's A, b and B, the secret block, TIMESTAMP and the signature sent. */
interface ClaimExchange {
  verifierHex: string;
  A: string;
  b: string;
  B: string;
  secretBlockB64: string;
  timestamp: string;
  signatureB64: string;
}

/**
 * Whether a PASSWORD_CLAIM_SIGNATURE matches the one `poolName` and `userIdForSrp` would give: false, never a throw,
 * on a wrong signature or any malformed input; the comparison is constant-time.
 */
function claimMatches(p: ClaimExchange, poolName: string, userIdForSrp: string): boolean {
  try {
    if (typeof p.signatureB64 !== 'string' || typeof p.secretBlockB64 !== 'string') return false;
    if (typeof p.timestamp !== 'string' || typeof userIdForSrp !== 'string') return false;
    const expected = expectedSignature({ ...p, poolName, userIdForSrp });
    if (!expected) return false;
    const given = Buffer.from(p.signatureB64, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

/**
 * Step 2 (RespondToAuthChallenge PASSWORD_VERIFIER): checks PASSWORD_CLAIM_SIGNATURE against the session's b and B.
 * Returns false, never throws, on a wrong password or any malformed input; rejects A % N == 0. The caller checks that
 * the secret block is the one it issued and that the TIMESTAMP is recent (see {@link parseTimestamp}).
 */
export function verifyClaim(
  p: ClaimExchange & { poolId: string; userIdForSrp: string; saltHex: string },
): boolean {
  return claimMatches(p, poolShortName(p.poolId), p.userIdForSrp);
}

/**
 * DEVICE_PASSWORD_VERIFIER: the same SRP exchange as {@link verifyClaim}, with the device in the user's place. The
 * client's AuthenticationHelper is built with the DeviceGroupKey as its "pool name" and signs in with the DeviceKey
 * as username and the device's random secret as password, against the salt and verifier it registered through
 * ConfirmDevice; so the signature is an HMAC over DeviceGroupKey + DeviceKey + secret block + timestamp.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-device-tracking.html
 */
export function verifyDeviceClaim(p: ClaimExchange & { deviceGroupKey: string; deviceKey: string }): boolean {
  return claimMatches(p, p.deviceGroupKey, p.deviceKey);
}

/**
 * USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and the Hosted UI: recompute v from the offered password and compare
 * it with the stored verifier in constant time. About 0.7 ms (one modexp, see ./modexp.ts).
 */
export function verifyPassword(
  poolId: string,
  userIdForSrp: string,
  password: string,
  saltHex: string,
  verifierHex: string,
): boolean {
  try {
    const stored = parseHex(verifierHex);
    if (stored === undefined || stored >= N || typeof password !== 'string') return false;
    if (parseHex(saltHex) === undefined) return false;
    const candidate = powG(computeX(poolId, userIdForSrp, password, saltHex));
    return timingSafeEqual(toFixed(candidate, N_BYTES), toFixed(stored, N_BYTES));
  } catch {
    return false;
  }
}

/**
 * PreventUserExistenceErrors: for an unknown username, a SALT that is stable per username (so repeated attempts look
 * like one real user) and a fresh SRP_B drawn exactly like a real one, from a fake verifier. Both are HMACs of the
 * username under a server secret, so they cannot be told apart from real ones or predicted.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
 */
export function simulatedChallenge(
  poolId: string,
  username: string,
  serverSecret: Buffer,
): { salt: string; B: string } {
  const mac = (label: string) =>
    createHmac('sha256', serverSecret).update(`${label}\0${poolId}\0${username}`);
  const salt = mac('srp-salt').digest().subarray(0, 16).toString('hex');
  const fakeX = toBig(mac('srp-verifier').digest('hex'));
  return { salt, B: startSession(powG(fakeX).toString(16)).B };
}

/**
 * An opaque SECRET_BLOCK for the PASSWORD_VERIFIER challenge: 96 random bytes, base64. The pool stores its session
 * state (b, B, username, expiry) under it, or under a hash of it, and the client signs it back.
 */
export function newSecretBlock(): string {
  return randomBytes(96).toString('base64');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Cognito's TIMESTAMP format, exactly as amazon-cognito-identity-js's DateHelper writes it: `ddd MMM D HH:mm:ss UTC
 * YYYY`, e.g. `Tue Sep 3 10:23:01 UTC 2024` (day not zero-padded).
 */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

const TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/**
 * Parses a TIMESTAMP in the format of {@link formatTimestamp} (the day may also be zero-padded, as some SRP clients
 * send it). Returns epoch ms, or undefined when it is not a real date, so the pool can refuse stale or skewed claims.
 */
export function parseTimestamp(ts: string): number | undefined {
  const m = typeof ts === 'string' ? TIMESTAMP.exec(ts) : null;
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2] as string);
  if (month === -1) return undefined;
  const [day, h, min, s, y] = [m[3], m[4], m[5], m[6], m[7]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, month, day, h, min, s);
  const d = new Date(ms);
  if (
    d.getUTCDate() !== day ||
    d.getUTCHours() !== h ||
    d.getUTCMinutes() !== min ||
    d.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  if (WEEKDAYS[d.getUTCDay()] !== m[1]) return undefined;
  return ms;
}
