export type { KeyUse, PublicJwk, StoredKey } from './keys.js';
export { generatePoolKeys, jwksDocument, PoolSigner, SIGNING_ALG } from './keys.js';
export type { MintedTokens, MintInput, PoolTokenPayload } from './mint.js';
export { atHashOf, mintTokens, PoolTokenError, PROTECTED_CLAIMS, verifyPoolToken } from './mint.js';
