import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';
import type { GroupRecord } from '../../../store/index.js';
import { GroupExistsException, ResourceNotFoundException } from '../errors.js';
import type { Core } from './core.js';

const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** Cognito's wire view of a group. */
export function groupView(g: GroupRecord): GroupType {
  return {
    GroupName: g.name,
    UserPoolId: g.poolId,
    ...(g.description !== undefined ? { Description: g.description } : {}),
    ...(g.roleArn !== undefined ? { RoleArn: g.roleArn } : {}),
    ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
    LastModifiedDate: seconds(g.updatedAt),
    CreationDate: seconds(g.createdAt),
  };
}

/**
 * Groups of a pool: CreateGroup, GetGroup, ListGroups, DeleteGroup (membership is an account operation).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html
 */
export class GroupAdmin {
  constructor(private readonly core: Core) {}

  createGroup(
    poolId: string,
    g: { GroupName: string; Description?: string; RoleArn?: string; Precedence?: number },
  ): GroupType {
    this.core.requirePool(poolId);
    if (this.core.store.groups.get(poolId, g.GroupName)) {
      throw new GroupExistsException(`A group with the name ${g.GroupName} already exists.`);
    }
    const now = this.core.now();
    const rec: GroupRecord = {
      poolId,
      name: g.GroupName,
      description: g.Description,
      roleArn: g.RoleArn,
      precedence: g.Precedence,
      createdAt: now,
      updatedAt: now,
    };
    this.core.store.groups.insert(rec);
    return groupView(rec);
  }

  /** Provisioning: create or update the group in place (memberships are kept). */
  upsertGroup(
    poolId: string,
    g: { GroupName: string; Description?: string; RoleArn?: string; Precedence?: number },
  ): void {
    const existing = this.core.store.groups.get(poolId, g.GroupName);
    if (!existing) {
      this.createGroup(poolId, g);
      return;
    }
    this.core.store.groups.update({
      ...existing,
      description: g.Description,
      roleArn: g.RoleArn,
      precedence: g.Precedence,
      updatedAt: this.core.now(),
    });
  }

  getGroup(poolId: string, name: string): GroupType {
    this.core.requirePool(poolId);
    const g = this.core.store.groups.get(poolId, name);
    if (!g) throw new ResourceNotFoundException('Group not found.');
    return groupView(g);
  }

  listGroups(
    poolId: string,
    limit: number,
    nextToken: string | undefined,
  ): { groups: GroupType[]; next?: string } {
    this.core.requirePool(poolId);
    const after = nextToken ? Buffer.from(nextToken, 'base64url').toString('utf8') : '';
    const rows = this.core.store.groups.list(poolId, after, limit + 1);
    const page = rows.slice(0, limit);
    return {
      groups: page.map(groupView),
      ...(rows.length > limit
        ? { next: Buffer.from(page.at(-1)?.name ?? '', 'utf8').toString('base64url') }
        : {}),
    };
  }

  deleteGroup(poolId: string, name: string): void {
    this.core.requirePool(poolId);
    if (!this.core.store.groups.delete(poolId, name)) throw new ResourceNotFoundException('Group not found.');
  }
}
