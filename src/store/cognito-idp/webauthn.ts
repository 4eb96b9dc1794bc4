/** A user's passkey, as CompleteWebAuthnRegistration stored it. */
export interface WebAuthnCredentialRecord {
  poolId: string;
  ukey: string;
  /** base64url credential id. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** The authenticator's signature counter at the last use. */
  counter: number;
  relyingPartyId: string;
  friendlyName?: string | undefined;
  attachment?: string | undefined;
  transports: string[];
  createdAt: number;
}

/** Passkeys, per user. Writes are single statements. */
export interface WebAuthnStore {
  insert(c: WebAuthnCredentialRecord): void;
  list(poolId: string, ukey: string): WebAuthnCredentialRecord[];
  get(poolId: string, ukey: string, credentialId: string): WebAuthnCredentialRecord | undefined;
  count(poolId: string, ukey: string): number;
  /** Moves the counter forward only (compare-and-set on the value read); false when another use won. */
  setCounter(poolId: string, ukey: string, credentialId: string, from: number, to: number): boolean;
  delete(poolId: string, ukey: string, credentialId: string): boolean;
  statementSql(): Record<string, string>;
}
