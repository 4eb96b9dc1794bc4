/**
 * The numbered schema migrations of the local cloud's SQLite store, applied in order, each in its own
 * transaction. Append new entries at the END with the next id (e.g. the Hosted UI's sessions and authorization
 * codes); never edit or reorder an applied one, since existing data directories have already run it.
 */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    id: 1,
    name: 'user pools, clients, keys, users, codes, groups, tokens, sessions, outbox',
    sql: `
CREATE TABLE pools (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  config TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE pool_keys (
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  kid TEXT NOT NULL,
  use TEXT NOT NULL CHECK (use IN ('id', 'access')),
  private_jwk TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, kid)
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  secret TEXT,
  config TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX clients_by_pool ON clients(pool_id, created_at);
CREATE TABLE domains (
  domain TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE
);
CREATE TABLE resource_servers (
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  PRIMARY KEY (pool_id, identifier)
);
-- ukey is the username as looked up: lower-cased when the pool is case-insensitive.
CREATE TABLE users (
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  ukey TEXT NOT NULL,
  username TEXT NOT NULL,
  sub TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  preferred_username TEXT,
  status TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  srp_salt TEXT,
  srp_verifier TEXT,
  temp_password_expires_at INTEGER,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  last_failed_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, ukey)
);
CREATE UNIQUE INDEX users_by_sub ON users(pool_id, sub);
CREATE INDEX users_by_email ON users(pool_id, email);
CREATE INDEX users_by_phone ON users(pool_id, phone);
CREATE INDEX users_by_preferred_username ON users(pool_id, preferred_username);
CREATE TABLE codes (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, ukey, purpose),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TABLE groups (
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  role_arn TEXT,
  precedence INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, name)
);
CREATE TABLE user_groups (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  group_name TEXT NOT NULL,
  PRIMARY KEY (pool_id, ukey, group_name),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE,
  FOREIGN KEY (pool_id, group_name) REFERENCES groups(pool_id, name) ON DELETE CASCADE
);
CREATE INDEX user_groups_by_group ON user_groups(pool_id, group_name, ukey);
-- One row per authentication event: every token minted from it carries its id as origin_jti. Revoking the row
-- ends the refresh token and every access token of that sign-in.
CREATE TABLE auth_events (
  origin_jti TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  auth_time INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL
);
CREATE INDEX auth_events_by_user ON auth_events(pool_id, sub);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  origin_jti TEXT NOT NULL REFERENCES auth_events(origin_jti) ON DELETE CASCADE,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_by_origin ON refresh_tokens(origin_jti);
-- Challenge sessions (SRP PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED): short-lived, single use.
CREATE TABLE auth_sessions (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_recipient ON outbox(recipient, id);
`,
  },
  {
    id: 2,
    name: 'hosted UI sessions and authorization codes',
    sql: `
-- Hosted UI browser sessions, keyed by the SHA-256 of the random cookie value (the cookie itself is never stored).
CREATE TABLE hosted_ui_sessions (
  id_hash TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX hosted_ui_sessions_by_expiry ON hosted_ui_sessions(expires_at);
-- Authorization codes, keyed by their SHA-256: single use (used_at), bound to client, redirect URI and PKCE.
-- origin_jti is the sign-in the code was exchanged for, so a replay can revoke it.
CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  sub TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  origin_jti TEXT
);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);
`,
  },
  {
    id: 3,
    name: 'indexes for the periodic purge and the domain of a pool',
    // The purge runs every minute; without these it scanned every sign-in ever recorded (auth_events grows with
    // each sign-in and lives as long as its refresh token).
    sql: `
CREATE INDEX auth_events_by_expiry ON auth_events(expires_at);
CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires_at);
CREATE INDEX domains_by_pool ON domains(pool_id, domain);
`,
  },
  {
    id: 4,
    name: 'per-user code attempt limits and parallel authorization code replays',
    sql: `
-- Code requests and wrong guesses per user and purpose family, in a fixed window (issue 10: a new code must not
-- reset the guesses, and requests are limited like Cognito's LimitExceededException).
CREATE TABLE code_limits (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  family TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (pool_id, ukey, family),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE
);
-- Set by every exchange after the first, so an exchange still minting its tokens learns it was replayed.
ALTER TABLE oauth_codes ADD COLUMN replayed_at INTEGER;
`,
  },
  {
    // Issue 15 (the Amplify session): ids 15 and up, clear of other branches' next ids.
    id: 15,
    name: 'refresh-token rotation',
    sql: `
-- Set when a newer refresh token of the same sign-in replaced this one; it then lives only the client's grace period.
ALTER TABLE refresh_tokens ADD COLUMN rotated_at INTEGER;
`,
  },
  {
    id: 16,
    name: 'MFA settings per user',
    sql: `
-- A user's MFA factors: the TOTP secret (pending until VerifySoftwareToken, then enabled), the last TOTP time step
-- accepted (no code is accepted twice) and which factors are enabled and preferred.
CREATE TABLE user_mfa (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  totp_secret TEXT,
  totp_verified INTEGER NOT NULL DEFAULT 0,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  sms_enabled INTEGER NOT NULL DEFAULT 0,
  email_enabled INTEGER NOT NULL DEFAULT 0,
  preferred TEXT,
  PRIMARY KEY (pool_id, ukey),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE
);
`,
  },
  {
    // Issue 16 (passwordless): id 30, clear of other branches' next ids; renumber at merge if needed.
    id: 30,
    name: 'passkeys',
    sql: `
-- A user's passkeys (WebAuthn credentials): the public key, the signature counter and how it was registered.
CREATE TABLE webauthn_credentials (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  credential_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  rp_id TEXT NOT NULL,
  friendly_name TEXT,
  attachment TEXT,
  transports TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, ukey, credential_id),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE
);
`,
  },
  {
    // Issue 15 part 3 (devices): ids 50-54.
    id: 50,
    name: 'tracked devices',
    sql: `
-- A user's devices (DeviceConfiguration): the key and group key issued at sign-in, and once ConfirmDevice ran, the
-- device's SRP salt and verifier (never its secret), its name and whether it is remembered.
CREATE TABLE devices (
  pool_id TEXT NOT NULL,
  ukey TEXT NOT NULL,
  device_key TEXT NOT NULL,
  group_key TEXT NOT NULL,
  salt TEXT,
  verifier TEXT,
  name TEXT,
  remembered_status TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_auth_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, device_key),
  FOREIGN KEY (pool_id, ukey) REFERENCES users(pool_id, ukey) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX devices_by_user ON devices(pool_id, ukey, created_at);
-- The device a sign-in authenticated or was given: its tokens carry it as device_key, refreshes included.
ALTER TABLE auth_events ADD COLUMN device_key TEXT;
`,
  },
  {
    // Issue 16 (branding): ids 60-64.
    id: 60,
    name: 'Hosted UI customizations and managed login branding',
    sql: `
-- SetUICustomization: a pool's default (client_id 'ALL') or one client's CSS and logo.
CREATE TABLE ui_customizations (
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  css TEXT,
  image BLOB,
  image_type TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, client_id)
);
-- Managed login branding styles: at most one per app client.
CREATE TABLE login_brandings (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  use_cognito INTEGER NOT NULL,
  settings TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (pool_id, client_id)
);
CREATE TABLE login_branding_assets (
  branding_id TEXT NOT NULL REFERENCES login_brandings(id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  color_mode TEXT NOT NULL,
  extension TEXT NOT NULL,
  bytes BLOB,
  resource_id TEXT,
  PRIMARY KEY (branding_id, category, color_mode)
);
-- A deleted app client takes its customization and its style with it ('ALL' is no client id).
CREATE TRIGGER clients_branding_cleanup AFTER DELETE ON clients BEGIN
  DELETE FROM ui_customizations WHERE pool_id = OLD.pool_id AND client_id = OLD.id;
  DELETE FROM login_brandings WHERE pool_id = OLD.pool_id AND client_id = OLD.id;
END;
`,
  },
];
