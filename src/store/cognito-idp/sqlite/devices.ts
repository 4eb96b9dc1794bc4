import type { Db } from '../../db.js';
import type { DeviceRecord, DeviceRememberedStatus, DeviceStore } from '../devices.js';
import { prepareAll, sqlOf } from './statements.js';

interface Row {
  pool_id: string;
  ukey: string;
  device_key: string;
  group_key: string;
  salt: string | null;
  verifier: string | null;
  name: string | null;
  remembered_status: string | null;
  created_at: number;
  updated_at: number;
  last_auth_at: number;
}

const toRecord = (r: Row): DeviceRecord => ({
  poolId: r.pool_id,
  ukey: r.ukey,
  deviceKey: r.device_key,
  groupKey: r.group_key,
  salt: r.salt ?? undefined,
  verifier: r.verifier ?? undefined,
  name: r.name ?? undefined,
  rememberedStatus: (r.remembered_status as DeviceRememberedStatus | null) ?? undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastAuthenticatedAt: r.last_auth_at,
});

/** Devices in SQLite (table devices, migration 50). */
export class SqliteDeviceStore implements DeviceStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = prepareAll(db, {
      insert: `INSERT INTO devices (pool_id, ukey, device_key, group_key, salt, verifier, name, remembered_status,
        created_at, updated_at, last_auth_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      get: 'SELECT * FROM devices WHERE pool_id = ? AND device_key = ?',
      list: 'SELECT * FROM devices WHERE pool_id = ? AND ukey = ? ORDER BY created_at, device_key',
      groupKey: 'SELECT group_key FROM devices WHERE pool_id = ? AND ukey = ? LIMIT 1',
      confirm: `UPDATE devices SET salt = ?, verifier = ?, name = ?, remembered_status = ?, updated_at = ?,
        last_auth_at = ? WHERE pool_id = ? AND device_key = ?`,
      setStatus: `UPDATE devices SET remembered_status = ?, updated_at = ?
        WHERE pool_id = ? AND device_key = ? AND verifier IS NOT NULL`,
      touch: 'UPDATE devices SET last_auth_at = ? WHERE pool_id = ? AND device_key = ?',
      delete: 'DELETE FROM devices WHERE pool_id = ? AND device_key = ?',
    });
  }

  insert(d: DeviceRecord): void {
    this.#s.insert.run(
      d.poolId,
      d.ukey,
      d.deviceKey,
      d.groupKey,
      d.salt ?? null,
      d.verifier ?? null,
      d.name ?? null,
      d.rememberedStatus ?? null,
      d.createdAt,
      d.updatedAt,
      d.lastAuthenticatedAt,
    );
  }

  get(poolId: string, deviceKey: string): DeviceRecord | undefined {
    const r = this.#s.get.get(poolId, deviceKey) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  list(poolId: string, ukey: string): DeviceRecord[] {
    return (this.#s.list.all(poolId, ukey) as Row[]).map(toRecord);
  }

  groupKeyOf(poolId: string, ukey: string): string | undefined {
    return (this.#s.groupKey.get(poolId, ukey) as { group_key: string } | undefined)?.group_key;
  }

  confirm(
    poolId: string,
    deviceKey: string,
    c: {
      salt: string;
      verifier: string;
      name: string | undefined;
      status: DeviceRememberedStatus;
      now: number;
    },
  ): boolean {
    return (
      this.#s.confirm.run(c.salt, c.verifier, c.name ?? null, c.status, c.now, c.now, poolId, deviceKey)
        .changes === 1
    );
  }

  setStatus(poolId: string, deviceKey: string, status: DeviceRememberedStatus, now: number): boolean {
    return this.#s.setStatus.run(status, now, poolId, deviceKey).changes === 1;
  }

  touchAuthenticated(poolId: string, deviceKey: string, now: number): void {
    this.#s.touch.run(now, poolId, deviceKey);
  }

  delete(poolId: string, deviceKey: string): boolean {
    return this.#s.delete.run(poolId, deviceKey).changes === 1;
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }
}
