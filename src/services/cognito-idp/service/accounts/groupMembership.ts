/** Group membership: AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup. */
import type { GroupType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { ResourceNotFoundException } from '../../errors.js';
import { groupView } from '../groups.js';
import { decodeToken, encodeToken } from './listing.js';
import { type AccountCtx, userView } from './shared.js';

const groupNotFound = () => new ResourceNotFoundException('Group not found.');

export function adminAddUserToGroup(ctx: AccountCtx, poolId: string, username: string, group: string): void {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  if (!core.store.groups.get(pool.id, group)) throw groupNotFound();
  core.store.groups.addUser(pool.id, user.ukey, group);
}

export function adminRemoveUserFromGroup(
  ctx: AccountCtx,
  poolId: string,
  username: string,
  group: string,
): void {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  if (!core.store.groups.get(pool.id, group)) throw groupNotFound();
  core.store.groups.removeUser(pool.id, user.ukey, group);
}

export function adminListGroupsForUser(
  ctx: AccountCtx,
  poolId: string,
  username: string,
  limit: number,
  nextToken?: string,
): { groups: GroupType[]; next?: string } {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  const user = core.requireUser(pool, username);
  const rows = core.store.groups.groupsOfUser(
    pool.id,
    user.ukey,
    nextToken ? decodeToken(nextToken) : '',
    limit + 1,
  );
  const page = rows.slice(0, limit);
  return {
    groups: page.map(groupView),
    ...(rows.length > limit ? { next: encodeToken(page.at(-1)?.name ?? '') } : {}),
  };
}

export function listUsersInGroup(
  ctx: AccountCtx,
  poolId: string,
  group: string,
  limit: number,
  nextToken?: string,
): { users: UserType[]; next?: string } {
  const { core } = ctx;
  const pool = core.requirePool(poolId);
  if (!core.store.groups.get(pool.id, group)) throw groupNotFound();
  const rows = core.store.groups.usersInGroup(
    pool.id,
    group,
    nextToken ? decodeToken(nextToken) : '',
    limit + 1,
  );
  const page = rows.slice(0, limit);
  return {
    users: page.map((u) => userView(u)),
    ...(rows.length > limit ? { next: encodeToken(page.at(-1)?.ukey ?? '') } : {}),
  };
}
