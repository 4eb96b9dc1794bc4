import type { ClientRecord, UserRecord } from '../../../store/index.js';
import { type AccountCtx, checkUnique, claimAliases, newIdentity, newUser } from './accounts/shared.js';
import { validateAttributes } from './attributes.js';
import type { Core } from './core.js';
import { generateTemporaryPassword } from './passwords.js';
import { passwordPolicy } from './settings.js';

export interface MigrationRequest {
  triggerSource: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
  /** What the user typed. */
  username: string;
  /** The sign-in password (UserMigration_Authentication only): handed to the function, stored only as a verifier. */
  password?: string;
  clientMetadata?: Record<string, string>;
}

/**
 * Lazy migration: for a username the pool does not know, asks the pool's UserMigration function and, when it vouches
 * for the user, creates them from its answer: its attributes, `finalUserStatus` (CONFIRMED by default; always
 * RESET_REQUIRED after ForgotPassword, which has no password), and `forceAliasCreation`. At sign-in the password the
 * user typed becomes theirs (the pool's password policy is not applied, as the documentation says). Returns the new
 * user, or undefined when the pool has no such function or the function knew no such user.
 *
 * Not emulated [documented in the README]: the welcome message (`messageAction`, `desiredDeliveryMediums`) is never
 * sent, and `enableSMSMFA` is ignored.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
 */
export async function migrateUser(
  core: Core,
  client: ClientRecord,
  req: MigrationRequest,
): Promise<UserRecord | undefined> {
  // The account helpers used here (identity, verifier, uniqueness, aliases) read only ctx.core.
  const ctx = { core } as AccountCtx;
  const pool = core.requirePool(client.poolId);
  const answer = await core.triggers(pool).userMigration({
    triggerSource: req.triggerSource,
    username: req.username,
    clientId: client.id,
    ...(req.password !== undefined ? { password: req.password } : {}),
    ...(req.clientMetadata ? { clientMetadata: req.clientMetadata } : {}),
  });
  if (!answer) return undefined;
  // The function's attributes may not set the immutable sub; everything else is checked as AdminCreateUser does.
  const { sub: _ignored, ...attributes } = answer.userAttributes;
  const id = newIdentity(ctx, pool, req.username, attributes);
  validateAttributes(pool, id.attrs, { creating: true });
  const password = req.password ?? generateTemporaryPassword(passwordPolicy(pool));
  const status = req.password === undefined ? 'RESET_REQUIRED' : answer.finalUserStatus;
  const created = await newUser(ctx, pool, id, password, status);
  core.store.tx(() => {
    checkUnique(ctx, pool, id.username, id.attrs, 'User account already exists');
    core.store.users.insert(created);
    claimAliases(ctx, pool, created, created.attributes, answer.forceAliasCreation);
  });
  core.log.info({ poolId: pool.id, source: req.triggerSource }, 'user migrated by the UserMigration trigger');
  return created;
}

/**
 * The user migrated at sign-in (UserMigration_Authentication), or undefined. Only the flows that carry the password
 * call it (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH with PASSWORD): SRP never sends it.
 */
export function migrated(
  core: Core,
  client: ClientRecord,
  username: string,
  password: string,
): Promise<UserRecord | undefined> {
  return migrateUser(core, client, { triggerSource: 'UserMigration_Authentication', username, password });
}
