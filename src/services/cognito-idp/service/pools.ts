import type {
  UserPoolClientDescription,
  UserPoolClientType,
  UserPoolDescriptionType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ClientRecord, PoolRecord, ResourceServerRecord } from '../../../store/index.js';
import { InvalidParameterException } from '../errors.js';
import { jwksDocument, type StoredKey } from '../tokens/keys.js';
import type { Core } from './core.js';
import { deviceSettings } from './devices.js';
import { asObject, asStrings, passwordPolicy, schemaAttributes } from './settings.js';
import { allowedFirstFactors, checkTierFeatures, poolTier } from './userAuthConfig.js';

/** Fields of CreateUserPoolClient / UpdateUserPoolClient that make up a client's stored config. */
const CLIENT_FIELDS = [
  'ClientName',
  'RefreshTokenValidity',
  'AccessTokenValidity',
  'IdTokenValidity',
  'TokenValidityUnits',
  'ReadAttributes',
  'WriteAttributes',
  'ExplicitAuthFlows',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'AnalyticsConfiguration',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
  'AuthSessionValidity',
  'RefreshTokenRotation',
] as const;

/** Fields of CreateUserPool kept in a pool's config (everything but the name and tags-only fields). */
const POOL_FIELDS = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'MfaConfiguration',
  // CloudFormation's list of MFA factors (AWS::Cognito::UserPool EnabledMfas); SetUserPoolMfaConfig replaces it.
  'EnabledMfas',
  'UserAttributeUpdateSettings',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'Schema',
  'UserPoolAddOns',
  'UsernameConfiguration',
  'AccountRecoverySetting',
  'UserPoolTier',
  'WebAuthnConfiguration',
] as const;

const pickFields = (src: Record<string, unknown>, fields: readonly string[]) => {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (src[f] !== undefined) out[f] = src[f];
  return out;
};

/** DescribeUserPool's DeviceConfiguration: absent when the pool does not track devices. */
function deviceConfiguration(pool: PoolRecord): Pick<UserPoolType, 'DeviceConfiguration'> {
  const d = deviceSettings(pool);
  return d
    ? {
        DeviceConfiguration: {
          ChallengeRequiredOnNewDevice: d.challengeRequiredOnNewDevice,
          DeviceOnlyRememberedOnUserPrompt: d.deviceOnlyRememberedOnUserPrompt,
        },
      }
    : {};
}

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** Pools, clients, groups, resource servers, domains and keys: the management half of the service. */
export class PoolAdmin {
  constructor(private readonly core: Core) {}

  /**
   * Creates a pool with a random id (or the given one, for provisioning) and its two signing keys.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
   */
  async createPool(name: string, config: Record<string, unknown>, id?: string): Promise<PoolRecord> {
    const now = this.core.now();
    const keys = await this.core.newPoolKeys();
    const pool: PoolRecord = {
      id: id ?? this.core.ids.poolId(this.core.urls.region),
      name,
      config: pickFields(config, POOL_FIELDS),
      createdAt: now,
      updatedAt: now,
    };
    this.#checkPoolConfig(pool);
    this.core.store.tx(() => {
      this.core.store.pools.insert(pool);
      this.core.store.pools.insertKeys(
        pool.id,
        keys as unknown as Parameters<typeof this.core.store.pools.insertKeys>[1],
        now,
      );
    });
    return pool;
  }

  /** Provisioning: create the pool with this id, or replace its settings (users, keys and clients are kept). */
  async upsertPool(id: string, name: string, config: Record<string, unknown>): Promise<PoolRecord> {
    const existing = this.core.store.pools.get(id);
    if (!existing) return this.createPool(name, config, id);
    const updated: PoolRecord = {
      ...existing,
      name,
      config: pickFields(config, POOL_FIELDS),
      updatedAt: this.core.now(),
    };
    this.#checkPoolConfig(updated);
    this.core.store.pools.update(updated);
    if (this.core.store.pools.listKeys(id).length === 0) {
      this.core.store.pools.insertKeys(id, (await this.core.newPoolKeys()) as never, this.core.now());
      this.core.forgetSigner(id);
    }
    return updated;
  }

  #checkPoolConfig(pool: PoolRecord): void {
    checkTierFeatures(pool.config);
    const ua = asStrings(pool.config.UsernameAttributes);
    const aliases = asStrings(pool.config.AliasAttributes);
    if (ua.length && aliases.length) {
      throw new InvalidParameterException(
        'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool',
      );
    }
    const policy = passwordPolicy(pool);
    if (policy.MinimumLength < 6 || policy.MinimumLength > 99) {
      throw new InvalidParameterException('Password minimum length must be between 6 and 99.');
    }
  }

  describePool(poolId: string): UserPoolType {
    const pool = this.core.requirePool(poolId);
    const c = pool.config;
    const domain = this.core.store.pools.domainOfPool(pool.id);
    return {
      Id: pool.id,
      Name: pool.name,
      Policies: {
        ...asObject(c.Policies),
        PasswordPolicy: passwordPolicy(pool),
        SignInPolicy: { AllowedFirstAuthFactors: allowedFirstFactors(pool) },
      },
      UserPoolTier: poolTier(pool),
      DeletionProtection: (c.DeletionProtection as UserPoolType['DeletionProtection']) ?? 'INACTIVE',
      LambdaConfig: asObject(c.LambdaConfig),
      Status: 'Enabled',
      LastModifiedDate: seconds(pool.updatedAt),
      CreationDate: seconds(pool.createdAt),
      SchemaAttributes: schemaAttributes(pool) as UserPoolType['SchemaAttributes'],
      ...(c.AutoVerifiedAttributes ? { AutoVerifiedAttributes: c.AutoVerifiedAttributes as never } : {}),
      ...(c.AliasAttributes ? { AliasAttributes: c.AliasAttributes as never } : {}),
      ...(c.UsernameAttributes ? { UsernameAttributes: c.UsernameAttributes as never } : {}),
      ...(c.VerificationMessageTemplate
        ? { VerificationMessageTemplate: c.VerificationMessageTemplate as never }
        : { VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' } }),
      ...(c.EmailVerificationMessage ? { EmailVerificationMessage: String(c.EmailVerificationMessage) } : {}),
      ...(c.EmailVerificationSubject ? { EmailVerificationSubject: String(c.EmailVerificationSubject) } : {}),
      MfaConfiguration: (c.MfaConfiguration as UserPoolType['MfaConfiguration']) ?? 'OFF',
      ...deviceConfiguration(pool),
      EstimatedNumberOfUsers: this.core.store.users.count(pool.id),
      EmailConfiguration: (c.EmailConfiguration as never) ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
      ...(c.UserPoolTags ? { UserPoolTags: c.UserPoolTags as never } : {}),
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: false,
        UnusedAccountValidityDays: passwordPolicy(pool).TemporaryPasswordValidityDays,
        ...asObject(c.AdminCreateUserConfig),
      },
      ...(c.UsernameConfiguration ? { UsernameConfiguration: c.UsernameConfiguration as never } : {}),
      ...(c.AccountRecoverySetting ? { AccountRecoverySetting: c.AccountRecoverySetting as never } : {}),
      ...(domain ? { Domain: domain } : {}),
      Arn: `arn:aws:cognito-idp:${this.core.urls.region}:000000000000:userpool/${pool.id}`,
    };
  }

  listPools(max: number, nextToken: string | undefined): { pools: UserPoolDescriptionType[]; next?: string } {
    const after = nextToken ? Buffer.from(nextToken, 'base64url').toString('utf8') : '';
    const rows = this.core.store.pools.list(after, max + 1);
    const page = rows.slice(0, max);
    return {
      pools: page.map((p) => ({
        Id: p.id,
        Name: p.name,
        LambdaConfig: asObject(p.config.LambdaConfig),
        Status: 'Enabled',
        LastModifiedDate: seconds(p.updatedAt),
        CreationDate: seconds(p.createdAt),
      })),
      ...(rows.length > max
        ? { next: Buffer.from(page.at(-1)?.id ?? '', 'utf8').toString('base64url') }
        : {}),
    };
  }

  deletePool(poolId: string): void {
    const pool = this.core.requirePool(poolId);
    if (pool.config.DeletionProtection === 'ACTIVE') {
      throw new InvalidParameterException(
        'The user pool cannot be deleted because deletion protection is activated.',
      );
    }
    this.core.store.pools.delete(poolId);
    this.core.forgetSigner(poolId);
  }

  /** The pool's JWKS document, as served at `<issuer>/.well-known/jwks.json`. */
  jwks(poolId: string): { keys: unknown[] } {
    this.core.requirePool(poolId);
    return jwksDocument(this.core.store.pools.listKeys(poolId) as unknown as StoredKey[]);
  }

  // ---- Clients

  /**
   * Creates an app client. Its id is random (or given, for provisioning); with GenerateSecret a secret is drawn
   * once and kept.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
   */
  createClient(
    poolId: string,
    request: Record<string, unknown>,
    fixed: { id?: string; secret?: string } = {},
  ): ClientRecord {
    this.core.requirePool(poolId);
    const now = this.core.now();
    const config = this.#clientConfig(request);
    const client: ClientRecord = {
      id: fixed.id ?? this.core.ids.clientId(),
      poolId,
      name: String(request.ClientName ?? ''),
      secret:
        fixed.secret ??
        (request.GenerateSecret === true || request.GenerateSecret === 'true'
          ? this.core.ids.clientSecret()
          : undefined),
      config,
      createdAt: now,
      updatedAt: now,
    };
    this.#checkClient(client);
    this.core.store.clients.insert(client);
    return client;
  }

  /** Replaces the client's settings (UpdateUserPoolClient resets omitted fields to their defaults, as Cognito does). */
  updateClient(poolId: string, clientId: string, request: Record<string, unknown>): ClientRecord {
    const existing = this.core.requireClient(clientId, poolId);
    const updated: ClientRecord = {
      ...existing,
      name: String(request.ClientName ?? existing.name),
      config: this.#clientConfig({ ClientName: existing.name, ...request }),
      updatedAt: this.core.now(),
    };
    this.#checkClient(updated);
    this.core.store.clients.update(updated);
    return updated;
  }

  /** Provisioning: create with this id, or update in place keeping the secret. */
  upsertClient(poolId: string, clientId: string, request: Record<string, unknown>): ClientRecord {
    const existing = this.core.store.clients.get(clientId);
    if (!existing) return this.createClient(poolId, request, { id: clientId });
    const wantsSecret = request.GenerateSecret === true || request.GenerateSecret === 'true';
    const updated: ClientRecord = {
      ...existing,
      poolId,
      name: String(request.ClientName ?? existing.name),
      // The secret is generated once; a stack that drops GenerateSecret gets a public client.
      secret: wantsSecret ? (existing.secret ?? this.core.ids.clientSecret()) : undefined,
      config: this.#clientConfig(request),
      updatedAt: this.core.now(),
    };
    this.#checkClient(updated);
    this.core.store.clients.update(updated);
    return updated;
  }

  #clientConfig(request: Record<string, unknown>): Record<string, unknown> {
    const c = pickFields(request, CLIENT_FIELDS);
    c.RefreshTokenValidity ??= 30;
    // Units are reported only when set (Cognito leaves them out; the Terraform provider reads their absence as
    // "defaults"). Token lifetimes default to hours / hours / days either way (settings.tokenValidity).
    if (c.TokenValidityUnits !== undefined) {
      c.TokenValidityUnits = {
        AccessToken: 'hours',
        IdToken: 'hours',
        RefreshToken: 'days',
        ...asObject(c.TokenValidityUnits),
      };
    }
    c.EnableTokenRevocation ??= true;
    c.AuthSessionValidity ??= 3;
    c.AllowedOAuthFlowsUserPoolClient ??= false;
    c.EnablePropagateAdditionalUserContextData ??= false;
    return c;
  }

  #checkClient(client: ClientRecord): void {
    const c = client.config;
    const units = asObject(c.TokenValidityUnits);
    const inSeconds = (v: unknown, unit: unknown) =>
      Number(v) * ({ seconds: 1, minutes: 60, hours: 3600, days: 86400 }[String(unit)] ?? 1);
    const range = (field: string, unit: unknown, min: number, max: number) => {
      if (c[field] === undefined || Number(c[field]) === 0) return;
      const s = inSeconds(c[field], unit);
      if (!(s >= min && s <= max)) {
        throw new InvalidParameterException(
          `Invalid range for token validity: ${field} must be between ${min} and ${max} seconds.`,
        );
      }
    };
    // Access and id tokens: 5 minutes to 1 day; refresh tokens: 60 minutes to 10 years.
    range('AccessTokenValidity', units.AccessToken ?? 'hours', 300, 86400);
    range('IdTokenValidity', units.IdToken ?? 'hours', 300, 86400);
    range('RefreshTokenValidity', units.RefreshToken ?? 'days', 3600, 315_360_000);
    const flows = asStrings(c.AllowedOAuthFlows);
    if (flows.includes('client_credentials') && (flows.includes('code') || flows.includes('implicit'))) {
      throw new InvalidParameterException(
        'client_credentials flow can not be selected along with code flow or implicit flow.',
      );
    }
    if (flows.includes('client_credentials') && !client.secret) {
      throw new InvalidParameterException(
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    }
    const callbacks = asStrings(c.CallbackURLs);
    if (
      (flows.includes('code') || flows.includes('implicit')) &&
      c.AllowedOAuthFlowsUserPoolClient === true &&
      callbacks.length === 0
    ) {
      throw new InvalidParameterException('CallbackURLs must be provided for the code and implicit flows.');
    }
  }

  describeClient(poolId: string, clientId: string): UserPoolClientType {
    return this.clientView(this.core.requireClient(clientId, poolId));
  }

  /** The wire view of a client (UserPoolClientType), secret included as Cognito shows it to the owner. */
  clientView(client: ClientRecord): UserPoolClientType {
    return {
      UserPoolId: client.poolId,
      ClientName: client.name,
      ClientId: client.id,
      ...(client.secret ? { ClientSecret: client.secret } : {}),
      LastModifiedDate: seconds(client.updatedAt),
      CreationDate: seconds(client.createdAt),
      ...(client.config as Omit<UserPoolClientType, 'ClientName'>),
    };
  }

  listClients(
    poolId: string,
    max: number,
    nextToken: string | undefined,
  ): { clients: UserPoolClientDescription[]; next?: string } {
    this.core.requirePool(poolId);
    const after = nextToken ? Buffer.from(nextToken, 'base64url').toString('utf8') : '';
    const rows = this.core.store.clients.list(poolId, after, max + 1);
    const page = rows.slice(0, max);
    return {
      clients: page.map((c) => ({ ClientId: c.id, UserPoolId: c.poolId, ClientName: c.name })),
      ...(rows.length > max
        ? { next: Buffer.from(page.at(-1)?.id ?? '', 'utf8').toString('base64url') }
        : {}),
    };
  }

  deleteClient(poolId: string, clientId: string): void {
    this.core.requireClient(clientId, poolId);
    this.core.store.clients.delete(clientId);
  }

  // ---- Resource servers and domains

  putResourceServer(poolId: string, r: Omit<ResourceServerRecord, 'poolId'>): void {
    this.core.requirePool(poolId);
    this.core.store.pools.putResourceServer({ ...r, poolId });
  }

  resourceServers(poolId: string): ResourceServerRecord[] {
    return this.core.store.pools.listResourceServers(poolId);
  }

  setDomain(poolId: string, domain: string): void {
    this.core.requirePool(poolId);
    this.core.store.pools.setDomain(domain, poolId);
  }

  /** DeleteUserPoolDomain: the Hosted UI prefix no longer names the pool. */
  removeDomain(domain: string): boolean {
    return this.core.store.pools.deleteDomain(domain);
  }

  deleteResourceServer(poolId: string, identifier: string): boolean {
    this.core.requirePool(poolId);
    return this.core.store.pools.deleteResourceServer(poolId, identifier);
  }

  /** The pool's Hosted UI domain prefix, if CreateUserPoolDomain (or the stack) gave it one. */
  domainOf(poolId: string): string | undefined {
    return this.core.store.pools.domainOfPool(poolId);
  }

  poolOfDomain(domain: string): PoolRecord | undefined {
    const id = this.core.store.pools.poolIdOfDomain(domain);
    return id === undefined ? undefined : this.core.store.pools.get(id);
  }
}
