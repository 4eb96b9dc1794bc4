import type { WebAuthnCredentialDescription } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { PoolRecord, UserRecord, WebAuthnCredentialRecord } from '../../../store/index.js';
import {
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnConfigurationMissingException,
  WebAuthnCredentialNotSupportedException,
  WebAuthnNotEnabledException,
  WebAuthnOriginNotAllowedException,
  WebAuthnRelyingPartyMismatchException,
} from '../errors.js';
import type { Core } from './core.js';
import { asObject } from './settings.js';
import type { WebAuthnFactor } from './userAuth.js';
import { allowedFirstFactors } from './userAuthConfig.js';

/** How long a registration challenge lives (Cognito: the registration must complete within minutes [unverified]). */
const REGISTRATION_TTL_MS = 5 * 60_000;
/** Cognito's limit of passkeys per user. */
const MAX_PASSKEYS = 20;

type SimpleWebAuthn = typeof import('@simplewebauthn/server');
let loaded: Promise<SimpleWebAuthn> | undefined;
/**
 * @simplewebauthn/server, loaded on the first passkey operation: with its ASN.1 and X.509 dependencies it would
 * otherwise add a few hundred milliseconds and megabytes to every start of the local cloud.
 */
const simpleWebAuthn = (): Promise<SimpleWebAuthn> => {
  loaded ??= import('@simplewebauthn/server');
  return loaded;
};

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** The origin the browser signed (clientDataJSON.origin): plain JSON, read to check it against the relying party. */
function signedOrigin(clientDataJSON: unknown): string {
  if (typeof clientDataJSON !== 'string') throw new InvalidParameterException('Credential is malformed.');
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      origin?: unknown;
    };
    if (typeof parsed.origin === 'string') return parsed.origin;
  } catch {
    // falls through
  }
  throw new InvalidParameterException('Credential is malformed.');
}

/**
 * Whether an origin may use passkeys of this relying party: its host is the RP id or below it, over https (or
 * http on localhost, as browsers allow).
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.hostname;
  const under = host === rpId || host.endsWith(`.${rpId}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && host === 'localhost');
  return under && secure;
}

/**
 * Passkeys: registration (StartWebAuthnRegistration, CompleteWebAuthnRegistration), listing and deletion, and the
 * WEB_AUTHN sign-in challenge. Every check of a registration or an assertion (attestation formats, challenge, origin,
 * RP id hash, user presence and verification, signature, counter) is @simplewebauthn/server's.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-passkey
 */
export class WebAuthnService implements WebAuthnFactor {
  constructor(private readonly core: Core) {}

  /** The relying party id: the configured one, else the host serving the pool's domain. */
  relyingPartyId(pool: PoolRecord): string {
    const configured = asObject(pool.config.WebAuthnConfiguration).RelyingPartyId;
    if (typeof configured === 'string' && configured) return configured;
    if (this.core.store.pools.domainOfPool(pool.id)) return new URL(this.core.urls.hostedUiBase()).hostname;
    throw new WebAuthnConfigurationMissingException(
      'The user pool has no relying party id and no domain: set WebAuthnConfiguration.RelyingPartyId.',
    );
  }

  #userVerification(pool: PoolRecord): 'required' | 'preferred' {
    return asObject(pool.config.WebAuthnConfiguration).UserVerification === 'required'
      ? 'required'
      : 'preferred';
  }

  #requireEnabled(pool: PoolRecord): void {
    if (!allowedFirstFactors(pool).includes('WEB_AUTHN')) {
      throw new WebAuthnNotEnabledException('Passkeys are not enabled for this user pool.');
    }
  }

  #regKey = (pool: PoolRecord, user: UserRecord) => `webauthn-reg:${pool.id}:${user.ukey}`;

  /**
   * StartWebAuthnRegistration: the creation options (a discoverable credential, attestation none), remembered
   * against the user and the client of the access token.
   */
  async startRegistration(
    pool: PoolRecord,
    user: UserRecord,
    clientId: string,
  ): Promise<Record<string, unknown>> {
    this.#requireEnabled(pool);
    const rpId = this.relyingPartyId(pool);
    const existing = this.core.store.webauthn.list(pool.id, user.ukey);
    if (existing.length >= MAX_PASSKEYS)
      throw new LimitExceededException('The user has the most passkeys allowed.');
    const options = await (await simpleWebAuthn()).generateRegistrationOptions({
      rpName: pool.name,
      rpID: rpId,
      userName: user.username,
      userID: new TextEncoder().encode(user.sub),
      userDisplayName: String(user.attributes.email ?? user.username),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: this.#userVerification(pool) },
      timeout: REGISTRATION_TTL_MS / 5,
    });
    const key = this.#regKey(pool, user);
    this.core.store.sessions.take(key);
    this.core.store.sessions.insert({
      id: key,
      poolId: pool.id,
      clientId,
      kind: 'WEBAUTHN_REGISTRATION',
      data: { challenge: options.challenge, rpId },
      expiresAt: this.core.now() + REGISTRATION_TTL_MS,
    });
    return options as unknown as Record<string, unknown>;
  }

  /** CompleteWebAuthnRegistration: verifies the new credential and stores it. */
  async completeRegistration(
    pool: PoolRecord,
    user: UserRecord,
    clientId: string,
    credential: unknown,
  ): Promise<void> {
    this.#requireEnabled(pool);
    const response = credential as RegistrationResponseJSON;
    if (!response || typeof response !== 'object' || typeof response.response !== 'object') {
      throw new InvalidParameterException('Credential is malformed.');
    }
    const s = this.core.store.sessions.take(this.#regKey(pool, user));
    if (!s || s.expiresAt <= this.core.now()) {
      throw new WebAuthnChallengeNotFoundException(
        'The registration challenge has expired or does not exist.',
      );
    }
    if (s.clientId !== clientId) {
      throw new WebAuthnClientMismatchException(
        'The access token is for another app client than the registration.',
      );
    }
    const { challenge, rpId } = s.data as { challenge: string; rpId: string };
    if (rpId !== this.relyingPartyId(pool)) {
      throw new WebAuthnRelyingPartyMismatchException('The relying party id of the pool changed.');
    }
    const origin = signedOrigin(response.response.clientDataJSON);
    if (!originAllowed(origin, rpId)) {
      throw new WebAuthnOriginNotAllowedException(
        `Origin ${origin} is not allowed for relying party ${rpId}.`,
      );
    }
    let verified: Awaited<ReturnType<SimpleWebAuthn['verifyRegistrationResponse']>>;
    try {
      verified = await (await simpleWebAuthn()).verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: rpId,
        requireUserVerification: this.#userVerification(pool) === 'required',
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : '';
      if (/RP ID/i.test(message)) {
        throw new WebAuthnRelyingPartyMismatchException('The credential is for another relying party.');
      }
      throw new WebAuthnCredentialNotSupportedException('The passkey credential could not be verified.');
    }
    if (!verified.verified || !verified.registrationInfo) {
      throw new WebAuthnCredentialNotSupportedException('The passkey credential could not be verified.');
    }
    const info = verified.registrationInfo;
    if (this.core.store.webauthn.get(pool.id, user.ukey, info.credential.id)) {
      throw new InvalidParameterException('This passkey is already registered.');
    }
    this.core.store.webauthn.insert({
      poolId: pool.id,
      ukey: user.ukey,
      credentialId: info.credential.id,
      publicKey: b64url(info.credential.publicKey),
      counter: info.credential.counter,
      relyingPartyId: rpId,
      friendlyName:
        info.aaguid === '00000000-0000-0000-0000-000000000000' ? 'Passkey' : `Passkey ${info.aaguid}`,
      attachment: response.authenticatorAttachment,
      transports: response.response.transports ?? [],
      createdAt: this.core.now(),
    });
  }

  /** ListWebAuthnCredentials, paged by the credential's position. */
  list(
    pool: PoolRecord,
    user: UserRecord,
    max = 10,
    nextToken?: string,
  ): { Credentials: WebAuthnCredentialDescription[]; NextToken?: string } {
    const all = this.core.store.webauthn.list(pool.id, user.ukey);
    const start = nextToken ? Number.parseInt(Buffer.from(nextToken, 'base64url').toString('utf8'), 10) : 0;
    if (!Number.isInteger(start) || start < 0 || start > all.length) {
      throw new InvalidParameterException('Invalid NextToken.');
    }
    const page = all.slice(start, start + max);
    const next =
      start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return {
      Credentials: page.map((c) => describe(c)),
      ...(next ? { NextToken: next } : {}),
    };
  }

  /** DeleteWebAuthnCredential. */
  delete(pool: PoolRecord, user: UserRecord, credentialId: string): void {
    if (!this.core.store.webauthn.delete(pool.id, user.ukey, credentialId)) {
      throw new ResourceNotFoundException('Credential not found.');
    }
  }

  count(pool: PoolRecord, user: UserRecord): number {
    return this.core.store.webauthn.count(pool.id, user.ukey);
  }

  /** CREDENTIAL_REQUEST_OPTIONS for the WEB_AUTHN challenge: the user's passkeys, a fresh challenge. */
  async requestOptions(pool: PoolRecord, user: UserRecord): Promise<{ options: string; challenge: string }> {
    const rpId = this.relyingPartyId(pool);
    const options = await (await simpleWebAuthn()).generateAuthenticationOptions({
      rpID: rpId,
      allowCredentials: this.core.store.webauthn
        .list(pool.id, user.ukey)
        .map((c) => ({ id: c.credentialId, transports: c.transports })),
      userVerification: this.#userVerification(pool),
      timeout: 180_000,
    });
    return { options: JSON.stringify(options), challenge: options.challenge };
  }

  /** Verifies the WEB_AUTHN answer and moves the credential's counter forward. */
  async verify(pool: PoolRecord, user: UserRecord, credential: string, challenge: string): Promise<void> {
    let response: AuthenticationResponseJSON;
    try {
      response = JSON.parse(credential) as AuthenticationResponseJSON;
    } catch {
      throw new InvalidParameterException('CREDENTIAL is not valid JSON.');
    }
    if (!response || typeof response.id !== 'string' || typeof response.response !== 'object') {
      throw new InvalidParameterException('CREDENTIAL is malformed.');
    }
    const stored = this.core.store.webauthn.get(pool.id, user.ukey, response.id);
    // Wording ours [unverified]: a deleted or unknown passkey cannot sign in.
    if (!stored) throw new NotAuthorizedException('Incorrect username or passkey.');
    const rpId = this.relyingPartyId(pool);
    const origin = signedOrigin(response.response.clientDataJSON);
    if (!originAllowed(origin, rpId)) {
      throw new WebAuthnOriginNotAllowedException(
        `Origin ${origin} is not allowed for relying party ${rpId}.`,
      );
    }
    let result: Awaited<ReturnType<SimpleWebAuthn['verifyAuthenticationResponse']>>;
    try {
      result = await (await simpleWebAuthn()).verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: origin,
        expectedRPID: stored.relyingPartyId,
        credential: {
          id: stored.credentialId,
          publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
          counter: stored.counter,
          transports: stored.transports as never,
        },
        requireUserVerification: this.#userVerification(pool) === 'required',
      });
    } catch {
      throw new NotAuthorizedException('Incorrect username or passkey.');
    }
    if (!result.verified) throw new NotAuthorizedException('Incorrect username or passkey.');
    const next = result.authenticationInfo.newCounter;
    if (next > stored.counter || (next === 0 && stored.counter === 0)) {
      if (
        !this.core.store.webauthn.setCounter(pool.id, user.ukey, stored.credentialId, stored.counter, next)
      ) {
        // Another sign-in with the same assertion counter won: this one is a replay.
        throw new NotAuthorizedException('Incorrect username or passkey.');
      }
    }
  }
}

const describe = (c: WebAuthnCredentialRecord): WebAuthnCredentialDescription => ({
  CredentialId: c.credentialId,
  FriendlyCredentialName: c.friendlyName ?? 'Passkey',
  RelyingPartyId: c.relyingPartyId,
  ...(c.attachment ? { AuthenticatorAttachment: c.attachment } : {}),
  AuthenticatorTransports: c.transports,
  CreatedAt: new Date(c.createdAt),
});
