/** Listing users: ListUsers with its Filter syntax, and the pagination tokens of the list operations. */
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../../../store/index.js';
import { InvalidParameterException } from '../../errors.js';
import { type AccountCtx, userView } from './shared.js';

const LISTABLE = new Set([
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
]);

export const encodeToken = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/** The key a pagination token stands for; InvalidParameterException for one we did not issue. */
export function decodeToken(t: string): string {
  const s = Buffer.from(t, 'base64url').toString('utf8');
  if (encodeToken(s) !== t) throw new InvalidParameterException('Invalid pagination token');
  return s;
}

/** Compiles a ListUsers Filter into a predicate; an empty filter matches everyone. */
export function parseFilter(filter: string | undefined): (u: UserRecord) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const m = /^\s*([\w:]+)\s*(=|\^=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!m) throw new InvalidParameterException('Error while parsing filter.');
  const [, attr = '', op, raw = ''] = m;
  if (!LISTABLE.has(attr)) throw new InvalidParameterException(`Invalid search attribute: ${attr}`);
  const value = raw.replace(/\\(.)/g, '$1');
  const read = (u: UserRecord): string | undefined =>
    attr === 'username'
      ? u.username
      : attr === 'cognito:user_status'
        ? u.status
        : attr === 'status'
          ? u.enabled
            ? 'Enabled'
            : 'Disabled'
          : u.attributes[attr];
  return (u) => {
    const v = read(u);
    if (v === undefined) return false;
    return op === '=' ? v === value : v.startsWith(value);
  };
}

/**
 * ListUsers with Cognito's Filter syntax (`attr = "v"` or `attr ^= "prefix"`) and pagination.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */
export function listUsers(
  ctx: AccountCtx,
  poolId: string,
  req: { filter?: string; limit?: number; paginationToken?: string; attributesToGet?: string[] },
): { users: UserType[]; next?: string } {
  const pool = ctx.core.requirePool(poolId);
  const limit = req.limit ?? 60;
  const match = parseFilter(req.filter);
  let after = req.paginationToken ? decodeToken(req.paginationToken) : '';
  const out: UserRecord[] = [];
  let more = false;
  // Scan in key order in batches; a filter never needs more than the matching rows plus one batch.
  for (;;) {
    const batch = ctx.core.store.users.list(pool.id, after, 500);
    for (const u of batch) {
      if (!match(u)) continue;
      if (out.length === limit) {
        more = true;
        break;
      }
      out.push(u);
    }
    if (more || batch.length < 500) break;
    after = (batch.at(-1) as UserRecord).ukey;
  }
  const only = req.attributesToGet ? new Set(req.attributesToGet) : undefined;
  return {
    users: out.map((u) => {
      const v = userView(u, only);
      return only && !only.has('sub')
        ? { ...v, Attributes: v.Attributes?.filter((a) => a.Name !== 'sub') }
        : v;
    }),
    ...(more ? { next: encodeToken(out.at(-1)?.ukey ?? '') } : {}),
  };
}
