import type { Urls } from '../../../config/index.js';
import type { ClientRecord, HostedUiStore, PoolRecord, UserRecord } from '../../../store/index.js';
import { AccountService } from './accounts.js';
import { AuthService } from './auth.js';
import { BrandingService } from './branding/index.js';
import { Core, type IdpServiceDeps } from './core.js';
import { CustomAuthService } from './customAuth.js';
import { DeviceService } from './devices.js';
import { GroupAdmin } from './groups.js';
import { cryptoIds } from './ids.js';
import { MfaService } from './mfa.js';
import { PoolAdmin } from './pools.js';
import { TokenService } from './tokens.js';
import { UserAuthService } from './userAuth.js';
import { WebAuthnService } from './webauthn.js';

/**
 * The user pool service: one instance per process, shared by the JSON API and the Hosted UI.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools.html
 */
export class IdpService {
  /** The shared machinery (store, clock, ids, signers): internal, so every caller goes through the operations. */
  readonly #core: Core;
  readonly pools: PoolAdmin;
  readonly groups: GroupAdmin;
  readonly tokens: TokenService;
  readonly auth: AuthService;
  readonly accounts: AccountService;
  /** MFA: pool settings, the user's factors and preferences, and the sign-in challenges. */
  readonly mfa: MfaService;
  /** Choice-based and passwordless sign-in (USER_AUTH). */
  readonly userAuth: UserAuthService;
  /** Passkeys: registration, listing, deletion; the WEB_AUTHN factor of USER_AUTH. */
  readonly webAuthn: WebAuthnService;
  /** Tracked devices: ConfirmDevice, the device operations and device authentication. */
  readonly devices: DeviceService;
  /** Hosted UI customizations and managed login branding styles. */
  readonly branding: BrandingService;
  /** The Lambda-driven custom sign-in (CUSTOM_AUTH, with or without SRP first). */
  readonly customAuth: CustomAuthService;

  constructor(deps: Omit<IdpServiceDeps, 'ids'> & { ids?: IdpServiceDeps['ids'] }) {
    this.#core = new Core({ ...deps, ids: deps.ids ?? cryptoIds });
    this.pools = new PoolAdmin(this.#core);
    this.groups = new GroupAdmin(this.#core);
    this.tokens = new TokenService(this.#core);
    this.mfa = new MfaService(this.#core);
    this.devices = new DeviceService(this.#core);
    this.auth = new AuthService(this.#core, this.tokens, this.mfa, this.devices);
    this.accounts = new AccountService(this.#core, this.auth, this.tokens);
    this.webAuthn = new WebAuthnService(this.#core);
    this.userAuth = new UserAuthService(this.#core, this.auth);
    this.userAuth.webAuthn = this.webAuthn;
    this.branding = new BrandingService(this.#core);
    this.customAuth = new CustomAuthService(this.#core, this.auth, this.mfa);
  }

  /** The URLs the service mints tokens for (issuer, Hosted UI, inbox). */
  get urls(): Urls {
    return this.#core.urls;
  }

  /** The pool or ResourceNotFoundException. */
  pool(poolId: string): PoolRecord {
    return this.#core.requirePool(poolId);
  }

  /** The pool, or undefined (for pages and endpoints that answer an unknown pool their own way). */
  findPool(poolId: string): PoolRecord | undefined {
    return this.#core.store.pools.get(poolId);
  }

  /** The app client or ResourceNotFoundException (`poolId` restricts it to that pool). */
  client(clientId: string, poolId?: string): ClientRecord {
    return this.#core.requireClient(clientId, poolId);
  }

  /** The app client, or undefined. */
  findClient(clientId: string): ClientRecord | undefined {
    return this.#core.store.clients.get(clientId);
  }

  /**
   * The user someone signs in as: by username, or by email/phone when those are the username, or by a verified
   * alias. Undefined when there is none.
   */
  findUser(pool: PoolRecord, name: string): UserRecord | undefined {
    return this.#core.findUser(pool, name);
  }

  /** The user with this sub (as stored now), or undefined. */
  userBySub(poolId: string, sub: string): UserRecord | undefined {
    return this.#core.store.users.bySub(poolId, sub);
  }

  /** Ends one sign-in: its refresh token and every access token minted from it stop working. */
  revokeSignIn(originJti: string): void {
    this.#core.store.tokens.revokeAuthEvent(originJti);
  }

  /** The Hosted UI's sessions and authorization codes, kept in the pool store. */
  get hostedUiStore(): HostedUiStore {
    return this.#core.store.hostedUi;
  }

  /** Throws NotAuthorizedException unless SECRET_HASH matches one of the usernames (no-op for public clients). */
  checkSecretHash(
    client: ClientRecord,
    usernames: readonly (string | undefined)[],
    secretHash: string | undefined,
  ): void {
    this.#core.checkSecretHash(client, usernames, secretHash);
  }

  /** SetUserPoolMfaConfig: writes only the MFA fields of the pool's config. */
  setPoolMfaConfig(pool: PoolRecord, fields: Record<string, unknown>): PoolRecord {
    this.#core.store.pools.setConfigFields(pool.id, fields, this.#core.now());
    return this.#core.requirePool(pool.id);
  }

  /** The user by name (aliases included) or UserNotFoundException: the Admin* operations. */
  requireUser(pool: PoolRecord, username: string): UserRecord {
    return this.#core.requireUser(pool, username);
  }

  /** Drops expired challenge sessions and sign-in records; the server calls it now and then. */
  purgeExpired(): void {
    this.#core.store.purgeExpired(this.#core.now());
  }
}
