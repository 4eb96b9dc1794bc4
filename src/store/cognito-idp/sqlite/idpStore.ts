import type { Db } from '../../db.js';
import type { IdpStore } from '../store.js';
import { SqliteBrandingStore } from './branding.js';
import { SqliteClientStore } from './clients.js';
import { SqliteCodeStore } from './codes.js';
import { SqliteDeviceStore } from './devices.js';
import { SqliteGroupStore } from './groups.js';
import { SqliteHostedUiStore } from './hostedUi.js';
import { SqliteMfaStore } from './mfa.js';
import { SqlitePoolStore } from './pools.js';
import { SqliteChallengeSessionStore } from './sessions.js';
import { SqliteTokenStore } from './tokens.js';
import { SqliteUserStore } from './users.js';
import { SqliteWebAuthnStore } from './webauthn.js';

/**
 * The user pool store over the SQLite schema of migrations.ts, one class per aggregate. Every lookup on the sign-in
 * path is a primary-key or index probe, so its cost does not grow with the pool.
 */
export class SqliteIdpStore implements IdpStore {
  readonly #db: Db;
  readonly pools: SqlitePoolStore;
  readonly clients: SqliteClientStore;
  readonly users: SqliteUserStore;
  readonly groups: SqliteGroupStore;
  readonly codes: SqliteCodeStore;
  readonly tokens: SqliteTokenStore;
  readonly sessions: SqliteChallengeSessionStore;
  readonly hostedUi: SqliteHostedUiStore;
  readonly mfa: SqliteMfaStore;
  readonly webauthn: SqliteWebAuthnStore;
  readonly devices: SqliteDeviceStore;
  readonly branding: SqliteBrandingStore;

  constructor(db: Db) {
    this.#db = db;
    this.pools = new SqlitePoolStore(db);
    this.clients = new SqliteClientStore(db);
    this.users = new SqliteUserStore(db);
    this.groups = new SqliteGroupStore(db);
    this.codes = new SqliteCodeStore(db);
    this.tokens = new SqliteTokenStore(db);
    this.sessions = new SqliteChallengeSessionStore(db);
    this.hostedUi = new SqliteHostedUiStore(db);
    this.mfa = new SqliteMfaStore(db);
    this.webauthn = new SqliteWebAuthnStore(db);
    this.devices = new SqliteDeviceStore(db);
    this.branding = new SqliteBrandingStore(db);
  }

  /** The SQL of every prepared statement, as `aggregate.name`: for tests that check each one's query plan. */
  statementSql(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [aggregate, store] of Object.entries({
      pools: this.pools,
      clients: this.clients,
      users: this.users,
      groups: this.groups,
      codes: this.codes,
      tokens: this.tokens,
      sessions: this.sessions,
      hostedUi: this.hostedUi,
      mfa: this.mfa,
      webauthn: this.webauthn,
      devices: this.devices,
      branding: this.branding,
    })) {
      for (const [name, sql] of Object.entries(store.statementSql())) out[`${aggregate}.${name}`] = sql;
    }
    return out;
  }

  tx<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock at the start, so a read-then-write cannot be overtaken by another process.
    return this.#db.transaction(fn).immediate();
  }

  purgeExpired(now: number): void {
    this.sessions.purgeExpired(now);
    this.tokens.purgeExpired(now);
  }
}
