/**
 * Per-pool signing keys. Each pool gets two RSA-2048 key pairs, one for id tokens and one for access tokens, as
 * Cognito does (its JWKS always lists at least two keys). Keys are generated when the pool is created and persisted
 * by the caller as JWKs; nothing here is ever bundled with the code.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import { createHash } from 'node:crypto';
import type { CryptoKey, JWK } from 'jose';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';

export const SIGNING_ALG = 'RS256';

export type KeyUse = 'id' | 'access';

/** One persisted key pair. `use` says which token type it signs; JWKS consumers only see `use: "sig"`. */
export interface StoredKey {
  kid: string;
  use: KeyUse;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The public parts of an RSA signing key, exactly the members Cognito's JWKS lists. A type alias (not an interface)
 * so it stays assignable to JSON-typed consumers such as aws-jwt-verify's `Jwks`.
 */
export type PublicJwk = {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
};

async function generateKey(use: KeyUse): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, {
    modulusLength: 2048,
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  // Cognito's kids are base64 strings ending in '=' (a 32-byte digest); derive ours from the RFC 7638 thumbprint so
  // they are stable for the key and look the same.
  const thumb = await calculateJwkThumbprint(publicJwk, 'sha256');
  const kid = createHash('sha256').update(thumb).digest('base64');
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    use,
    privateJwk: { ...privateJwk, kid, alg: SIGNING_ALG },
    publicJwk: { kty: 'RSA', e: publicJwk.e, n: publicJwk.n, kid, alg: SIGNING_ALG, use: 'sig' },
  };
}

/** A new pool's keys: one RS256 pair for id tokens, one for access tokens, each with its own kid. */
export async function generatePoolKeys(): Promise<StoredKey[]> {
  return [await generateKey('id'), await generateKey('access')];
}

/**
 * The document served at `<issuer>/.well-known/jwks.json`: public members only (kty, e, n, kid, alg, use).
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function jwksDocument(keys: readonly StoredKey[]): { keys: PublicJwk[] } {
  return {
    keys: keys.map((k) => ({
      alg: SIGNING_ALG,
      e: k.publicJwk.e as string,
      kid: k.kid,
      kty: 'RSA',
      n: k.publicJwk.n as string,
      use: 'sig',
    })),
  };
}

interface ImportedKey {
  kid: string;
  use: KeyUse;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * A pool's keys imported once and cached, for signing and for verifying the pool's own tokens.
 * The newest key of each use signs; every listed key still verifies (room for rotation).
 */
export class PoolSigner {
  readonly #byKid: ReadonlyMap<string, ImportedKey>;
  readonly #signing: Readonly<Record<KeyUse, ImportedKey>>;
  readonly #jwks: { keys: PublicJwk[] };

  private constructor(keys: ImportedKey[], jwks: { keys: PublicJwk[] }) {
    this.#byKid = new Map(keys.map((k) => [k.kid, k]));
    const last = (use: KeyUse) => {
      const found = keys.filter((k) => k.use === use).at(-1);
      if (!found) throw new Error(`PoolSigner needs a key with use '${use}'`);
      return found;
    };
    this.#signing = { id: last('id'), access: last('access') };
    this.#jwks = jwks;
  }

  /** Imports the stored JWKs. Throws at construction (not per request) if a key is missing or unusable. */
  static async create(keys: readonly StoredKey[]): Promise<PoolSigner> {
    const imported = await Promise.all(
      keys.map(async (k): Promise<ImportedKey> => {
        if (k.use !== 'id' && k.use !== 'access') throw new Error(`Key ${k.kid} has an unknown use`);
        const privateKey = await importJWK(k.privateJwk, SIGNING_ALG);
        const publicKey = await importJWK(k.publicJwk, SIGNING_ALG);
        if (!isCryptoKey(privateKey) || !isCryptoKey(publicKey))
          throw new Error(`Key ${k.kid} is not an RSA key`);
        return { kid: k.kid, use: k.use, privateKey, publicKey };
      }),
    );
    return new PoolSigner(imported, jwksDocument(keys));
  }

  /** The key that signs tokens of this use. */
  signingKey(use: KeyUse): { kid: string; key: CryptoKey } {
    const k = this.#signing[use];
    return { kid: k.kid, key: k.privateKey };
  }

  /** The public key for a kid, if it belongs to this pool. */
  publicKey(kid: string): { use: KeyUse; key: CryptoKey } | undefined {
    const k = this.#byKid.get(kid);
    return k && { use: k.use, key: k.publicKey };
  }

  /** The pool's JWKS document (public members only). */
  jwks(): { keys: PublicJwk[] } {
    return this.#jwks;
  }
}

function isCryptoKey(k: unknown): k is CryptoKey {
  return typeof k === 'object' && k !== null && !(k instanceof Uint8Array);
}
