import type { Db } from './db.js';

/** A user pool: its settings are kept as the CreateUserPool request shape (PascalCase), as Cognito returns them. */
export interface PoolRecord {
  id: string;
  name: string;
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  id: string;
  poolId: string;
  name: string;
  /** Stored as is: Cognito shows it to the owner and it keys the SECRET_HASH HMAC. */
  secret: string | undefined;
  /** The CreateUserPoolClient request shape (PascalCase), normalised with Cognito's defaults. */
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface StoredKeyRecord {
  kid: string;
  use: 'id' | 'access';
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface UserRecord {
  poolId: string;
  /** The lookup key: the username, lower-cased in case-insensitive pools. */
  ukey: string;
  username: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  /** Every attribute including sub, email, email_verified, custom:*; values are strings as on the wire. */
  attributes: Record<string, string>;
  srpSalt: string | undefined;
  srpVerifier: string | undefined;
  tempPasswordExpiresAt: number | undefined;
  failedAttempts: number;
  lockedUntil: number;
  lastFailedAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface CodeRecord {
  codeHash: string;
  expiresAt: number;
  attempts: number;
  createdAt: number;
}

export interface GroupRecord {
  poolId: string;
  name: string;
  description: string | undefined;
  roleArn: string | undefined;
  precedence: number | undefined;
  createdAt: number;
  updatedAt: number;
}

export interface AuthEventRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  sub: string;
  authTime: number;
  revoked: boolean;
  expiresAt: number;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  originJti: string;
  poolId: string;
  clientId: string;
  sub: string;
  scopes: string[];
  expiresAt: number;
  createdAt: number;
}

export interface AuthSessionRecord {
  id: string;
  poolId: string;
  clientId: string;
  kind: string;
  data: Record<string, unknown>;
  expiresAt: number;
}

export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: { ScopeName: string; ScopeDescription: string }[];
}

interface UserRow {
  pool_id: string;
  ukey: string;
  username: string;
  sub: string;
  email: string | null;
  phone: string | null;
  preferred_username: string | null;
  status: UserStatus;
  enabled: number;
  attributes: string;
  srp_salt: string | null;
  srp_verifier: string | null;
  temp_password_expires_at: number | null;
  failed_attempts: number;
  locked_until: number;
  last_failed_at: number;
  created_at: number;
  updated_at: number;
}

const userFromRow = (r: UserRow): UserRecord => ({
  poolId: r.pool_id,
  ukey: r.ukey,
  username: r.username,
  sub: r.sub,
  status: r.status,
  enabled: r.enabled === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  srpSalt: r.srp_salt ?? undefined,
  srpVerifier: r.srp_verifier ?? undefined,
  tempPasswordExpiresAt: r.temp_password_expires_at ?? undefined,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
  lastFailedAt: r.last_failed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Alias columns are indexed lower-cased so sign-in by email or phone is one index probe. */
const aliasColumns = (u: UserRecord) => ({
  email: u.attributes.email?.toLowerCase() ?? null,
  phone: u.attributes.phone_number ?? null,
  preferred_username: u.attributes.preferred_username?.toLowerCase() ?? null,
});

const userParams = (u: UserRecord) => ({
  pool_id: u.poolId,
  ukey: u.ukey,
  username: u.username,
  sub: u.sub,
  ...aliasColumns(u),
  status: u.status,
  enabled: u.enabled ? 1 : 0,
  attributes: JSON.stringify(u.attributes),
  srp_salt: u.srpSalt ?? null,
  srp_verifier: u.srpVerifier ?? null,
  temp_password_expires_at: u.tempPasswordExpiresAt ?? null,
  failed_attempts: u.failedAttempts,
  locked_until: u.lockedUntil,
  last_failed_at: u.lastFailedAt,
  created_at: u.createdAt,
  updated_at: u.updatedAt,
});

export type AliasColumn = 'email' | 'phone' | 'preferred_username';

/** A page of rows plus the key to continue after, for ListUsers / ListGroups pagination. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * The user pool service's persistence: prepared statements over the SQLite schema of migrations.ts. Every
 * lookup on the sign-in path is a primary-key or index probe, so its cost does not grow with the pool.
 */
export class IdpStore {
  readonly db: Db;
  readonly #s;

  constructor(db: Db) {
    this.db = db;
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      insertPool: p('INSERT INTO pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
      updatePool: p('UPDATE pools SET name = ?, config = ?, updated_at = ? WHERE id = ?'),
      getPool: p('SELECT * FROM pools WHERE id = ?'),
      listPools: p('SELECT * FROM pools WHERE id > ? ORDER BY id LIMIT ?'),
      deletePool: p('DELETE FROM pools WHERE id = ?'),
      insertKey: p(
        'INSERT INTO pool_keys (pool_id, kid, use, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      listKeys: p('SELECT * FROM pool_keys WHERE pool_id = ? ORDER BY created_at, kid'),
      insertClient: p(
        'INSERT INTO clients (id, pool_id, name, secret, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updateClient: p(
        'UPDATE clients SET pool_id = ?, name = ?, secret = ?, config = ?, updated_at = ? WHERE id = ?',
      ),
      getClient: p('SELECT * FROM clients WHERE id = ?'),
      listClients: p('SELECT * FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?'),
      deleteClient: p('DELETE FROM clients WHERE id = ?'),
      setDomain: p('INSERT OR REPLACE INTO domains (domain, pool_id) VALUES (?, ?)'),
      getDomainPool: p('SELECT pool_id FROM domains WHERE domain = ?'),
      getPoolDomain: p('SELECT domain FROM domains WHERE pool_id = ? ORDER BY domain LIMIT 1'),
      deleteDomain: p('DELETE FROM domains WHERE domain = ?'),
      deleteResourceServer: p('DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?'),
      putResourceServer: p(
        'INSERT OR REPLACE INTO resource_servers (pool_id, identifier, name, scopes) VALUES (?, ?, ?, ?)',
      ),
      listResourceServers: p('SELECT * FROM resource_servers WHERE pool_id = ? ORDER BY identifier'),
      insertUser:
        p(`INSERT INTO users (pool_id, ukey, username, sub, email, phone, preferred_username, status, enabled,
        attributes, srp_salt, srp_verifier, temp_password_expires_at, failed_attempts, locked_until, last_failed_at,
        created_at, updated_at) VALUES (@pool_id, @ukey, @username, @sub, @email, @phone, @preferred_username, @status,
        @enabled, @attributes, @srp_salt, @srp_verifier, @temp_password_expires_at, @failed_attempts, @locked_until,
        @last_failed_at, @created_at, @updated_at)`),
      updateUser: p(`UPDATE users SET username = @username, email = @email, phone = @phone,
        preferred_username = @preferred_username, status = @status, enabled = @enabled, attributes = @attributes,
        srp_salt = @srp_salt, srp_verifier = @srp_verifier, temp_password_expires_at = @temp_password_expires_at,
        failed_attempts = @failed_attempts, locked_until = @locked_until, last_failed_at = @last_failed_at,
        updated_at = @updated_at WHERE pool_id = @pool_id AND ukey = @ukey`),
      getUser: p('SELECT * FROM users WHERE pool_id = ? AND ukey = ?'),
      getUserBySub: p('SELECT * FROM users WHERE pool_id = ? AND sub = ?'),
      usersByEmail: p('SELECT * FROM users WHERE pool_id = ? AND email = ? LIMIT 10'),
      usersByPhone: p('SELECT * FROM users WHERE pool_id = ? AND phone = ? LIMIT 10'),
      usersByPreferred: p('SELECT * FROM users WHERE pool_id = ? AND preferred_username = ? LIMIT 10'),
      listUsers: p('SELECT * FROM users WHERE pool_id = ? AND ukey > ? ORDER BY ukey LIMIT ?'),
      deleteUser: p('DELETE FROM users WHERE pool_id = ? AND ukey = ?'),
      countUsers: p('SELECT COUNT(*) AS n FROM users WHERE pool_id = ?'),
      putCode:
        p(`INSERT OR REPLACE INTO codes (pool_id, ukey, purpose, code_hash, expires_at, attempts, created_at)
        VALUES (?, ?, ?, ?, ?, 0, ?)`),
      getCode: p('SELECT * FROM codes WHERE pool_id = ? AND ukey = ? AND purpose = ?'),
      bumpCode: p('UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND ukey = ? AND purpose = ?'),
      deleteCode: p('DELETE FROM codes WHERE pool_id = ? AND ukey = ? AND purpose = ?'),
      insertGroup:
        p(`INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      updateGroup: p(
        'UPDATE groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?',
      ),
      getGroup: p('SELECT * FROM groups WHERE pool_id = ? AND name = ?'),
      listGroups: p('SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?'),
      deleteGroup: p('DELETE FROM groups WHERE pool_id = ? AND name = ?'),
      addToGroup: p('INSERT OR IGNORE INTO user_groups (pool_id, ukey, group_name) VALUES (?, ?, ?)'),
      removeFromGroup: p('DELETE FROM user_groups WHERE pool_id = ? AND ukey = ? AND group_name = ?'),
      groupsOfUser:
        p(`SELECT g.* FROM user_groups ug JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
        WHERE ug.pool_id = ? AND ug.ukey = ? AND g.name > ? ORDER BY g.name LIMIT ?`),
      usersInGroup:
        p(`SELECT u.* FROM user_groups ug JOIN users u ON u.pool_id = ug.pool_id AND u.ukey = ug.ukey
        WHERE ug.pool_id = ? AND ug.group_name = ? AND ug.ukey > ? ORDER BY ug.ukey LIMIT ?`),
      insertAuthEvent:
        p(`INSERT INTO auth_events (origin_jti, pool_id, client_id, sub, auth_time, revoked, expires_at)
        VALUES (?, ?, ?, ?, ?, 0, ?)`),
      getAuthEvent: p('SELECT * FROM auth_events WHERE origin_jti = ?'),
      revokeAuthEvent: p('UPDATE auth_events SET revoked = 1 WHERE origin_jti = ?'),
      revokeUserEvents: p('UPDATE auth_events SET revoked = 1 WHERE pool_id = ? AND sub = ? AND revoked = 0'),
      insertRefresh:
        p(`INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, client_id, sub, scopes, expires_at,
        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      getRefresh: p('SELECT * FROM refresh_tokens WHERE token_hash = ?'),
      insertSession: p(
        'INSERT INTO auth_sessions (id, pool_id, client_id, kind, data, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      takeSession: p('DELETE FROM auth_sessions WHERE id = ? RETURNING *'),
      purgeSessions: p('DELETE FROM auth_sessions WHERE expires_at < ?'),
      purgeEvents: p('DELETE FROM auth_events WHERE expires_at < ?'),
    };
  }

  /** The SQL of every prepared statement, by name: for tests that check each one's query plan. */
  statementSql(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#s).map(([name, st]) => [name, st.source]));
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Pools
  insertPool(p: PoolRecord): void {
    this.#s.insertPool.run(p.id, p.name, JSON.stringify(p.config), p.createdAt, p.updatedAt);
  }
  updatePool(p: PoolRecord): void {
    this.#s.updatePool.run(p.name, JSON.stringify(p.config), p.updatedAt, p.id);
  }
  getPool(id: string): PoolRecord | undefined {
    const r = this.#s.getPool.get(id) as
      | { id: string; name: string; config: string; created_at: number; updated_at: number }
      | undefined;
    return (
      r && {
        id: r.id,
        name: r.name,
        config: JSON.parse(r.config),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }
    );
  }
  listPools(after: string, limit: number): PoolRecord[] {
    const rows = this.#s.listPools.all(after, limit) as { id: string }[];
    return rows.map((r) => this.getPool(r.id) as PoolRecord);
  }
  deletePool(id: string): boolean {
    return this.#s.deletePool.run(id).changes > 0;
  }

  // Keys
  insertKeys(poolId: string, keys: StoredKeyRecord[], now: number): void {
    for (const k of keys) {
      this.#s.insertKey.run(
        poolId,
        k.kid,
        k.use,
        JSON.stringify(k.privateJwk),
        JSON.stringify(k.publicJwk),
        now,
      );
    }
  }
  listKeys(poolId: string): StoredKeyRecord[] {
    const rows = this.#s.listKeys.all(poolId) as {
      kid: string;
      use: 'id' | 'access';
      private_jwk: string;
      public_jwk: string;
    }[];
    return rows.map((r) => ({
      kid: r.kid,
      use: r.use,
      privateJwk: JSON.parse(r.private_jwk),
      publicJwk: JSON.parse(r.public_jwk),
    }));
  }

  // Clients
  insertClient(c: ClientRecord): void {
    this.#s.insertClient.run(
      c.id,
      c.poolId,
      c.name,
      c.secret ?? null,
      JSON.stringify(c.config),
      c.createdAt,
      c.updatedAt,
    );
  }
  updateClient(c: ClientRecord): void {
    this.#s.updateClient.run(c.poolId, c.name, c.secret ?? null, JSON.stringify(c.config), c.updatedAt, c.id);
  }
  getClient(id: string): ClientRecord | undefined {
    const r = this.#s.getClient.get(id) as
      | {
          id: string;
          pool_id: string;
          name: string;
          secret: string | null;
          config: string;
          created_at: number;
          updated_at: number;
        }
      | undefined;
    return (
      r && {
        id: r.id,
        poolId: r.pool_id,
        name: r.name,
        secret: r.secret ?? undefined,
        config: JSON.parse(r.config),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }
    );
  }
  listClients(poolId: string, after: string, limit: number): ClientRecord[] {
    const rows = this.#s.listClients.all(poolId, after, limit) as { id: string }[];
    return rows.map((r) => this.getClient(r.id) as ClientRecord);
  }
  deleteClient(id: string): boolean {
    return this.#s.deleteClient.run(id).changes > 0;
  }

  // Domains and resource servers
  setDomain(domain: string, poolId: string): void {
    this.#s.setDomain.run(domain, poolId);
  }
  poolIdOfDomain(domain: string): string | undefined {
    return (this.#s.getDomainPool.get(domain) as { pool_id: string } | undefined)?.pool_id;
  }
  domainOfPool(poolId: string): string | undefined {
    return (this.#s.getPoolDomain.get(poolId) as { domain: string } | undefined)?.domain;
  }
  putResourceServer(r: ResourceServerRecord): void {
    this.#s.putResourceServer.run(r.poolId, r.identifier, r.name, JSON.stringify(r.scopes));
  }
  deleteResourceServer(poolId: string, identifier: string): boolean {
    return this.#s.deleteResourceServer.run(poolId, identifier).changes > 0;
  }
  deleteDomain(domain: string): boolean {
    return this.#s.deleteDomain.run(domain).changes > 0;
  }
  listResourceServers(poolId: string): ResourceServerRecord[] {
    const rows = this.#s.listResourceServers.all(poolId) as {
      pool_id: string;
      identifier: string;
      name: string;
      scopes: string;
    }[];
    return rows.map((r) => ({
      poolId: r.pool_id,
      identifier: r.identifier,
      name: r.name,
      scopes: JSON.parse(r.scopes),
    }));
  }

  // Users
  insertUser(u: UserRecord): void {
    this.#s.insertUser.run(userParams(u));
  }
  /** Saves every field but the keys (pool, ukey, sub). */
  updateUser(u: UserRecord): void {
    this.#s.updateUser.run(userParams(u));
  }
  getUser(poolId: string, ukey: string): UserRecord | undefined {
    const r = this.#s.getUser.get(poolId, ukey) as UserRow | undefined;
    return r && userFromRow(r);
  }
  getUserBySub(poolId: string, sub: string): UserRecord | undefined {
    const r = this.#s.getUserBySub.get(poolId, sub) as UserRow | undefined;
    return r && userFromRow(r);
  }
  /** Users whose alias column equals `value` (lower-cased for email and preferred_username). */
  usersByAlias(poolId: string, column: AliasColumn, value: string): UserRecord[] {
    const stmt =
      column === 'email'
        ? this.#s.usersByEmail
        : column === 'phone'
          ? this.#s.usersByPhone
          : this.#s.usersByPreferred;
    const v = column === 'phone' ? value : value.toLowerCase();
    return (stmt.all(poolId, v) as UserRow[]).map(userFromRow);
  }
  listUsers(poolId: string, afterUkey: string, limit: number): UserRecord[] {
    return (this.#s.listUsers.all(poolId, afterUkey, limit) as UserRow[]).map(userFromRow);
  }
  countUsers(poolId: string): number {
    return (this.#s.countUsers.get(poolId) as { n: number }).n;
  }
  deleteUser(poolId: string, ukey: string): boolean {
    return this.#s.deleteUser.run(poolId, ukey).changes > 0;
  }

  // Codes: one slot per (user, purpose), so a forgot-password code never overwrites a sign-up code.
  putCode(
    poolId: string,
    ukey: string,
    purpose: string,
    codeHash: string,
    expiresAt: number,
    now: number,
  ): void {
    this.#s.putCode.run(poolId, ukey, purpose, codeHash, expiresAt, now);
  }
  getCode(poolId: string, ukey: string, purpose: string): CodeRecord | undefined {
    const r = this.#s.getCode.get(poolId, ukey, purpose) as
      | { code_hash: string; expires_at: number; attempts: number; created_at: number }
      | undefined;
    return (
      r && { codeHash: r.code_hash, expiresAt: r.expires_at, attempts: r.attempts, createdAt: r.created_at }
    );
  }
  bumpCodeAttempts(poolId: string, ukey: string, purpose: string): void {
    this.#s.bumpCode.run(poolId, ukey, purpose);
  }
  deleteCode(poolId: string, ukey: string, purpose: string): void {
    this.#s.deleteCode.run(poolId, ukey, purpose);
  }

  // Groups
  insertGroup(g: GroupRecord): void {
    this.#s.insertGroup.run(
      g.poolId,
      g.name,
      g.description ?? null,
      g.roleArn ?? null,
      g.precedence ?? null,
      g.createdAt,
      g.updatedAt,
    );
  }
  updateGroup(g: GroupRecord): void {
    this.#s.updateGroup.run(
      g.description ?? null,
      g.roleArn ?? null,
      g.precedence ?? null,
      g.updatedAt,
      g.poolId,
      g.name,
    );
  }
  getGroup(poolId: string, name: string): GroupRecord | undefined {
    const r = this.#s.getGroup.get(poolId, name) as GroupRow | undefined;
    return r && groupFromRow(r);
  }
  listGroups(poolId: string, after: string, limit: number): GroupRecord[] {
    return (this.#s.listGroups.all(poolId, after, limit) as GroupRow[]).map(groupFromRow);
  }
  deleteGroup(poolId: string, name: string): boolean {
    return this.#s.deleteGroup.run(poolId, name).changes > 0;
  }
  addUserToGroup(poolId: string, ukey: string, group: string): void {
    this.#s.addToGroup.run(poolId, ukey, group);
  }
  removeUserFromGroup(poolId: string, ukey: string, group: string): void {
    this.#s.removeFromGroup.run(poolId, ukey, group);
  }
  groupsOfUser(poolId: string, ukey: string, after = '', limit = 10_000): GroupRecord[] {
    return (this.#s.groupsOfUser.all(poolId, ukey, after, limit) as GroupRow[]).map(groupFromRow);
  }
  usersInGroup(poolId: string, group: string, afterUkey: string, limit: number): UserRecord[] {
    return (this.#s.usersInGroup.all(poolId, group, afterUkey, limit) as UserRow[]).map(userFromRow);
  }

  // Authentication events and refresh tokens
  insertAuthEvent(e: Omit<AuthEventRecord, 'revoked'>): void {
    this.#s.insertAuthEvent.run(e.originJti, e.poolId, e.clientId, e.sub, e.authTime, e.expiresAt);
  }
  getAuthEvent(originJti: string): AuthEventRecord | undefined {
    const r = this.#s.getAuthEvent.get(originJti) as
      | {
          origin_jti: string;
          pool_id: string;
          client_id: string;
          sub: string;
          auth_time: number;
          revoked: number;
          expires_at: number;
        }
      | undefined;
    return (
      r && {
        originJti: r.origin_jti,
        poolId: r.pool_id,
        clientId: r.client_id,
        sub: r.sub,
        authTime: r.auth_time,
        revoked: r.revoked === 1,
        expiresAt: r.expires_at,
      }
    );
  }
  revokeAuthEvent(originJti: string): void {
    this.#s.revokeAuthEvent.run(originJti);
  }
  /** Ends every sign-in of the user (GlobalSignOut): their refresh tokens and access tokens stop working. */
  revokeUserAuthEvents(poolId: string, sub: string): number {
    return this.#s.revokeUserEvents.run(poolId, sub).changes;
  }
  insertRefreshToken(t: RefreshTokenRecord): void {
    this.#s.insertRefresh.run(
      t.tokenHash,
      t.originJti,
      t.poolId,
      t.clientId,
      t.sub,
      t.scopes.join(' '),
      t.expiresAt,
      t.createdAt,
    );
  }
  getRefreshToken(tokenHash: string): RefreshTokenRecord | undefined {
    const r = this.#s.getRefresh.get(tokenHash) as
      | {
          token_hash: string;
          origin_jti: string;
          pool_id: string;
          client_id: string;
          sub: string;
          scopes: string;
          expires_at: number;
          created_at: number;
        }
      | undefined;
    return (
      r && {
        tokenHash: r.token_hash,
        originJti: r.origin_jti,
        poolId: r.pool_id,
        clientId: r.client_id,
        sub: r.sub,
        scopes: r.scopes === '' ? [] : r.scopes.split(' '),
        expiresAt: r.expires_at,
        createdAt: r.created_at,
      }
    );
  }

  // Challenge sessions
  insertSession(s: AuthSessionRecord): void {
    this.#s.insertSession.run(s.id, s.poolId, s.clientId, s.kind, JSON.stringify(s.data), s.expiresAt);
  }
  /** Removes and returns the session: a challenge session answers exactly one response. */
  takeSession(id: string): AuthSessionRecord | undefined {
    const r = this.#s.takeSession.get(id) as
      | { id: string; pool_id: string; client_id: string; kind: string; data: string; expires_at: number }
      | undefined;
    return (
      r && {
        id: r.id,
        poolId: r.pool_id,
        clientId: r.client_id,
        kind: r.kind,
        data: JSON.parse(r.data),
        expiresAt: r.expires_at,
      }
    );
  }
  /** Drops expired challenge sessions and long-expired sign-in events. */
  purgeExpired(now: number): void {
    this.#s.purgeSessions.run(now);
    this.#s.purgeEvents.run(now);
  }
}

interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

const groupFromRow = (r: GroupRow): GroupRecord => ({
  poolId: r.pool_id,
  name: r.name,
  description: r.description ?? undefined,
  roleArn: r.role_arn ?? undefined,
  precedence: r.precedence ?? undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
