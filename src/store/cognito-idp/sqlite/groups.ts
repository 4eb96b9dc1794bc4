import type { Db } from '../../db.js';
import type { GroupRecord, UserRecord } from '../records.js';
import type { GroupStore } from '../store.js';
import { prepareAll, sqlOf } from './statements.js';
import { type UserRow, userFromRow } from './users.js';

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

/** Groups and group membership in SQLite. */
export class SqliteGroupStore implements GroupStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      insertGroup: `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
      updateGroup:
        'UPDATE groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?',
      getGroup: 'SELECT * FROM groups WHERE pool_id = ? AND name = ?',
      listGroups: 'SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?',
      deleteGroup: 'DELETE FROM groups WHERE pool_id = ? AND name = ?',
      addToGroup: 'INSERT OR IGNORE INTO user_groups (pool_id, ukey, group_name) VALUES (?, ?, ?)',
      removeFromGroup: 'DELETE FROM user_groups WHERE pool_id = ? AND ukey = ? AND group_name = ?',
      groupsOfUser: `SELECT g.* FROM user_groups ug JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
        WHERE ug.pool_id = ? AND ug.ukey = ? AND g.name > ? ORDER BY g.name LIMIT ?`,
      usersInGroup: `SELECT u.* FROM user_groups ug JOIN users u ON u.pool_id = ug.pool_id AND u.ukey = ug.ukey
        WHERE ug.pool_id = ? AND ug.group_name = ? AND ug.ukey > ? ORDER BY ug.ukey LIMIT ?`,
    });
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }

  insert(g: GroupRecord): void {
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
  update(g: GroupRecord): void {
    this.#s.updateGroup.run(
      g.description ?? null,
      g.roleArn ?? null,
      g.precedence ?? null,
      g.updatedAt,
      g.poolId,
      g.name,
    );
  }
  get(poolId: string, name: string): GroupRecord | undefined {
    const r = this.#s.getGroup.get(poolId, name) as GroupRow | undefined;
    return r && groupFromRow(r);
  }
  list(poolId: string, after: string, limit: number): GroupRecord[] {
    return (this.#s.listGroups.all(poolId, after, limit) as GroupRow[]).map(groupFromRow);
  }
  delete(poolId: string, name: string): boolean {
    return this.#s.deleteGroup.run(poolId, name).changes > 0;
  }
  addUser(poolId: string, ukey: string, group: string): void {
    this.#s.addToGroup.run(poolId, ukey, group);
  }
  removeUser(poolId: string, ukey: string, group: string): void {
    this.#s.removeFromGroup.run(poolId, ukey, group);
  }
  groupsOfUser(poolId: string, ukey: string, after = '', limit = 10_000): GroupRecord[] {
    return (this.#s.groupsOfUser.all(poolId, ukey, after, limit) as GroupRow[]).map(groupFromRow);
  }
  usersInGroup(poolId: string, group: string, afterUkey: string, limit: number): UserRecord[] {
    return (this.#s.usersInGroup.all(poolId, group, afterUkey, limit) as UserRow[]).map(userFromRow);
  }
}
