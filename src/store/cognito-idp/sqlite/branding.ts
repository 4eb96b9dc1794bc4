import type { Db } from '../../db.js';
import type {
  BrandingAssetRecord,
  BrandingStore,
  ManagedLoginBrandingRecord,
  UiCustomizationRecord,
} from '../branding.js';
import { prepareAll, sqlOf } from './statements.js';

interface UiRow {
  pool_id: string;
  client_id: string;
  css: string | null;
  image: Buffer | null;
  image_type: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

interface StyleRow {
  id: string;
  pool_id: string;
  client_id: string;
  use_cognito: number;
  settings: string | null;
  created_at: number;
  updated_at: number;
}

interface AssetRow {
  category: string;
  color_mode: string;
  extension: string;
  bytes: Buffer | null;
  resource_id: string | null;
}

const toUi = (r: UiRow): UiCustomizationRecord => ({
  poolId: r.pool_id,
  clientId: r.client_id,
  css: r.css ?? undefined,
  image: r.image ?? undefined,
  imageType: r.image_type ?? undefined,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toAsset = (r: AssetRow): BrandingAssetRecord => ({
  category: r.category,
  colorMode: r.color_mode,
  extension: r.extension,
  bytes: r.bytes ?? undefined,
  resourceId: r.resource_id ?? undefined,
});

/** Hosted UI customizations and managed login styles in SQLite (tables ui_customizations, login_brandings, login_branding_assets). */
export class SqliteBrandingStore implements BrandingStore {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    this.#s = prepareAll(db, {
      putUi: `INSERT INTO ui_customizations (pool_id, client_id, css, image, image_type, version, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, image = excluded.image,
          image_type = excluded.image_type, version = excluded.version, updated_at = excluded.updated_at`,
      getUi: 'SELECT * FROM ui_customizations WHERE pool_id = ? AND client_id = ?',
      insertStyle: `INSERT INTO login_brandings (id, pool_id, client_id, use_cognito, settings, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pool_id, client_id) DO NOTHING`,
      updateStyle: `UPDATE login_brandings SET use_cognito = ?, settings = ?, updated_at = ?
        WHERE pool_id = ? AND id = ?`,
      getStyle: 'SELECT * FROM login_brandings WHERE pool_id = ? AND id = ?',
      styleOfClient: 'SELECT * FROM login_brandings WHERE pool_id = ? AND client_id = ?',
      deleteStyle: 'DELETE FROM login_brandings WHERE pool_id = ? AND id = ?',
      assets: `SELECT category, color_mode, extension, bytes, resource_id FROM login_branding_assets
        WHERE branding_id = ? ORDER BY category, color_mode`,
      clearAssets: 'DELETE FROM login_branding_assets WHERE branding_id = ?',
      insertAsset: `INSERT INTO login_branding_assets (branding_id, category, color_mode, extension, bytes, resource_id)
        VALUES (?, ?, ?, ?, ?, ?)`,
    });
  }

  putUi(r: UiCustomizationRecord): void {
    this.#s.putUi.run(
      r.poolId,
      r.clientId,
      r.css ?? null,
      r.image ?? null,
      r.imageType ?? null,
      r.version,
      r.createdAt,
      r.updatedAt,
    );
  }

  getUi(poolId: string, clientId: string): UiCustomizationRecord | undefined {
    const row = this.#s.getUi.get(poolId, clientId) as UiRow | undefined;
    return row ? toUi(row) : undefined;
  }

  #writeAssets(id: string, assets: readonly BrandingAssetRecord[]): void {
    this.#s.clearAssets.run(id);
    for (const a of assets) {
      this.#s.insertAsset.run(
        id,
        a.category,
        a.colorMode,
        a.extension,
        a.bytes ?? null,
        a.resourceId ?? null,
      );
    }
  }

  insertStyle(r: ManagedLoginBrandingRecord): boolean {
    return this.#db.transaction(() => {
      const changes = this.#s.insertStyle.run(
        r.id,
        r.poolId,
        r.clientId,
        r.useCognitoProvidedValues ? 1 : 0,
        r.settings === undefined ? null : JSON.stringify(r.settings),
        r.createdAt,
        r.updatedAt,
      ).changes;
      if (changes !== 1) return false;
      this.#writeAssets(r.id, r.assets);
      return true;
    })();
  }

  updateStyle(r: ManagedLoginBrandingRecord): void {
    this.#db.transaction(() => {
      this.#s.updateStyle.run(
        r.useCognitoProvidedValues ? 1 : 0,
        r.settings === undefined ? null : JSON.stringify(r.settings),
        r.updatedAt,
        r.poolId,
        r.id,
      );
      this.#writeAssets(r.id, r.assets);
    })();
  }

  #style(row: StyleRow | undefined): ManagedLoginBrandingRecord | undefined {
    if (!row) return undefined;
    return {
      id: row.id,
      poolId: row.pool_id,
      clientId: row.client_id,
      useCognitoProvidedValues: row.use_cognito === 1,
      settings: row.settings === null ? undefined : (JSON.parse(row.settings) as unknown),
      assets: (this.#s.assets.all(row.id) as AssetRow[]).map(toAsset),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  getStyle(poolId: string, id: string): ManagedLoginBrandingRecord | undefined {
    return this.#style(this.#s.getStyle.get(poolId, id) as StyleRow | undefined);
  }

  styleOfClient(poolId: string, clientId: string): ManagedLoginBrandingRecord | undefined {
    return this.#style(this.#s.styleOfClient.get(poolId, clientId) as StyleRow | undefined);
  }

  deleteStyle(poolId: string, id: string): boolean {
    return this.#s.deleteStyle.run(poolId, id).changes === 1;
  }

  statementSql(): Record<string, string> {
    return sqlOf(this.#s);
  }
}
