import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * Where ids, secrets and codes come from. The default draws from node:crypto; tests that need fixed codes can pass
 * their own (and must say so).
 */
export interface IdSource {
  /** `<region>_<9 alphanumerics>`, Cognito's pool id format. */
  poolId(region: string): string;
  /** 26 characters of [a-z0-9]. */
  clientId(): string;
  /** 51 characters of [a-z0-9], about 263 bits. */
  clientSecret(): string;
  uuid(): string;
  /** A 6-digit confirmation code. */
  code(): string;
  /** An opaque token: refresh tokens and challenge sessions. */
  opaque(bytes: number): string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = (alphabet: string, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
};

export const cryptoIds: IdSource = {
  poolId: (region) => `${region}_${pick(MIXED, 9)}`,
  clientId: () => pick(LOWER, 26),
  clientSecret: () => pick(LOWER, 51),
  uuid: () => randomUUID(),
  code: () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
  opaque: (bytes) => randomBytes(bytes).toString('base64url'),
};

/** SHA-256 hex: how refresh tokens and codes are stored (never as is). */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A deterministic 9-character suffix from a seed, for ids that must be stable across restarts. */
export function stableSuffix(seed: string, n: number, alphabet = MIXED): string {
  const h = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(h[i] as number) % alphabet.length];
  return s;
}
