import type { ClientRecord, PoolRecord, UserRecord } from '../../../store/index.js';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import * as srp from '../srp/index.js';
import { validateAttributes } from './attributes.js';
import type { Core } from './core.js';
import { sha256 } from './ids.js';
import { checkPasswordPolicy } from './passwords.js';
import { passwordPolicy, requiredAttributes } from './settings.js';

/**
 * RespondToAuthChallenge NEW_PASSWORD_REQUIRED: the new password and the required attributes, checked and written
 * over the temporary password. Returns the user as written; the caller goes on to the second factor.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export function answerNewPassword(
  core: Core,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Record<string, string>,
  session: string | undefined,
): UserRecord {
  const invalidSession = () =>
    new NotAuthorizedException('Invalid session for the user, session is expired.');
  if (!session) throw new InvalidParameterException('Missing required parameter Session');
  const s = core.store.sessions.take(sha256(session));
  if (!s || s.clientId !== client.id || s.kind !== 'NEW_PASSWORD_REQUIRED' || s.expiresAt <= core.now()) {
    throw invalidSession();
  }
  const user = core.store.users.get(pool.id, String(s.data.ukey));
  if (!user) throw invalidSession();
  core.checkSecretHash(client, [responses.USERNAME, user.username], responses.SECRET_HASH);
  const password = responses.NEW_PASSWORD;
  if (!password) throw new InvalidParameterException('Missing required parameter NEW_PASSWORD');
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(responses)) {
    if (k.startsWith('userAttributes.')) attrs[k.slice('userAttributes.'.length)] = v;
  }
  try {
    checkPasswordPolicy(password, passwordPolicy(pool));
    validateAttributes(pool, attrs, { creating: false, existing: user.attributes });
    const merged = { ...user.attributes, ...attrs };
    const missing = requiredAttributes(pool).filter((a) => !merged[a]);
    if (missing.length) {
      throw new InvalidParameterException(
        `Missing required attributes: ${missing.map((a) => `userAttributes.${a}`).join(', ')}`,
      );
    }
  } catch (err) {
    // A rejected answer keeps the challenge open, as Cognito's session does.
    core.store.sessions.insert(s);
    throw err;
  }
  const { salt, verifier } = srp.createVerifier(pool.id, user.username, password);
  const now = core.now();
  // Over the temporary password only: a concurrent answer or admin reset wins, and this one is refused.
  const written = core.store.tx(() =>
    core.store.users.setPassword(pool.id, user.ukey, {
      salt,
      verifier,
      status: 'CONFIRMED',
      tempPasswordExpiresAt: undefined,
      now,
      expectVerifier: user.srpVerifier,
    })
      ? core.store.users.patchAttributes(pool.id, user.ukey, attrs, [], now)
      : undefined,
  );
  if (!written) throw invalidSession();
  return written;
}
