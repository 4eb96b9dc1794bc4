import type {
  AssetType,
  ManagedLoginBrandingType,
  UICustomizationType,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  BrandingAssetRecord,
  ClientRecord,
  ManagedLoginBrandingRecord,
  PoolRecord,
  UiCustomizationRecord,
} from '../../../../store/index.js';
import {
  FeatureUnavailableInTierException,
  InvalidParameterException,
  ManagedLoginBrandingExistsException,
  ResourceNotFoundException,
} from '../../errors.js';
import type { Core } from '../core.js';
import { poolTier } from '../userAuthConfig.js';
import { checkUiCss } from './css.js';
import { blobBytes, EXTENSION_TYPES, imageType, MAX_LOGO_BYTES } from './images.js';
import { assetFor, DEFAULT_SETTINGS, managedLoginCss, mergeSettings, schemeOf } from './managedLogin.js';

/** What a Hosted UI page adds for its client: a stylesheet (already checked or built by us) and a logo. */
export interface PageLook {
  css: string;
  logoUrl: string | undefined;
}

/** An image the Hosted UI serves. */
export interface BrandingImage {
  bytes: Buffer;
  type: string;
}

const ALL = 'ALL';
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
const LOGO_FILE = /^logo-(\d+)$/;

/** A managed login style's request fields, as CreateManagedLoginBranding and UpdateManagedLoginBranding take them. */
export interface StyleInput {
  UseCognitoProvidedValues?: boolean | undefined;
  Settings?: unknown;
  Assets?: AssetType[] | undefined;
}

/**
 * Branding of the Hosted UI: classic customizations (CSS and a logo, per pool or per client) and managed login
 * branding styles (a Settings document and image assets, per client).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-branding.html
 */
export class BrandingService {
  readonly #core: Core;

  constructor(core: Core) {
    this.#core = core;
  }

  /** The pool, and the client when one is named (`ALL` or none means the pool's default). */
  #scope(poolId: string, clientId: string | undefined): { pool: PoolRecord; scope: string } {
    const pool = this.#core.requirePool(poolId);
    if (clientId === undefined || clientId === ALL) return { pool, scope: ALL };
    this.#core.requireClient(clientId, pool.id);
    return { pool, scope: clientId };
  }

  /**
   * SetUICustomization: replaces the CSS and the logo together (Cognito sets them as one). The pool needs a domain.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUICustomization.html
   */
  setUi(
    poolId: string,
    clientId: string | undefined,
    css: string | undefined,
    image: unknown,
  ): UICustomizationType {
    const { pool, scope } = this.#scope(poolId, clientId);
    if (!this.#core.store.pools.domainOfPool(pool.id)) {
      throw new InvalidParameterException(
        'There has to be an existing domain associated with this user pool',
      );
    }
    if (css !== undefined) checkUiCss(css);
    let bytes: Buffer | undefined;
    let type: string | undefined;
    if (image !== undefined) {
      bytes = blobBytes(image);
      if (!bytes || bytes.length === 0) throw new InvalidParameterException('ImageFile is empty.');
      if (bytes.length > MAX_LOGO_BYTES) {
        throw new InvalidParameterException(`The logo image is larger than ${MAX_LOGO_BYTES / 1024} KB.`);
      }
      type = imageType(bytes);
      if (type !== 'image/png' && type !== 'image/jpeg') {
        throw new InvalidParameterException('The logo image must be a PNG or JPEG file.');
      }
    }
    const now = this.#core.now();
    const prev = this.#core.store.branding.getUi(pool.id, scope);
    const record: UiCustomizationRecord = {
      poolId: pool.id,
      clientId: scope,
      css: css === undefined || css === '' ? undefined : css,
      image: bytes,
      imageType: type,
      version: (prev?.version ?? 0) + 1,
      createdAt: prev?.createdAt ?? now,
      updatedAt: now,
    };
    this.#core.store.branding.putUi(record);
    return this.#uiView(record);
  }

  /**
   * GetUICustomization: the client's own customization, else the pool's (`ClientId` `ALL`), else an empty one.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUICustomization.html
   */
  getUi(poolId: string, clientId: string | undefined): UICustomizationType {
    const { pool, scope } = this.#scope(poolId, clientId);
    const found = this.#effectiveUi(pool.id, scope);
    if (found) return this.#uiView(found);
    return { UserPoolId: pool.id, ClientId: scope };
  }

  #effectiveUi(poolId: string, scope: string): UiCustomizationRecord | undefined {
    const store = this.#core.store.branding;
    return (scope === ALL ? undefined : store.getUi(poolId, scope)) ?? store.getUi(poolId, ALL);
  }

  #uiView(r: UiCustomizationRecord): UICustomizationType {
    return {
      UserPoolId: r.poolId,
      ClientId: r.clientId,
      ...(r.image
        ? { ImageUrl: this.#core.urls.brandingAsset(r.poolId, r.clientId, `logo-${r.version}`) }
        : {}),
      ...(r.css !== undefined ? { CSS: r.css, CSSVersion: String(r.version) } : {}),
      CreationDate: seconds(r.createdAt),
      LastModifiedDate: seconds(r.updatedAt),
    };
  }

  // --- Managed login branding ---

  #styleChecks(pool: PoolRecord, input: StyleInput): void {
    if (poolTier(pool) === 'LITE') {
      throw new FeatureUnavailableInTierException(
        'Managed login branding is not available in the LITE tier; use ESSENTIALS or PLUS.',
      );
    }
    if (input.UseCognitoProvidedValues && (input.Settings !== undefined || input.Assets?.length)) {
      throw new InvalidParameterException(
        'Settings and Assets must be omitted when UseCognitoProvidedValues is true.',
      );
    }
    const s = input.Settings;
    if (s !== undefined && (typeof s !== 'object' || s === null || Array.isArray(s))) {
      throw new InvalidParameterException('Settings must be a JSON object.');
    }
  }

  #assets(given: AssetType[] | undefined): BrandingAssetRecord[] {
    const out: BrandingAssetRecord[] = [];
    for (const a of given ?? []) {
      const key = `${a.Category}/${a.ColorMode}`;
      if (out.some((x) => `${x.category}/${x.colorMode}` === key)) {
        throw new InvalidParameterException(`Duplicate asset for ${a.Category} in ${a.ColorMode} mode.`);
      }
      const bytes = blobBytes(a.Bytes);
      if (!bytes?.length && a.ResourceId === undefined) {
        throw new InvalidParameterException(`Asset ${a.Category} needs Bytes or a ResourceId.`);
      }
      if (bytes?.length && imageType(bytes) !== EXTENSION_TYPES[String(a.Extension)]) {
        throw new InvalidParameterException(`Asset ${a.Category} is not a ${a.Extension} image.`);
      }
      out.push({
        category: String(a.Category),
        colorMode: String(a.ColorMode),
        extension: String(a.Extension),
        bytes: bytes?.length ? bytes : undefined,
        resourceId: a.ResourceId,
      });
    }
    return out;
  }

  /**
   * CreateManagedLoginBranding: one style per app client; ESSENTIALS or PLUS pools only (managed login is not in
   * LITE; the refusal's wording is ours [unverified]).
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
   */
  createStyle(poolId: string, clientId: string, input: StyleInput): ManagedLoginBrandingType {
    const pool = this.#core.requirePool(poolId);
    this.#core.requireClient(clientId, pool.id);
    this.#styleChecks(pool, input);
    const now = this.#core.now();
    const record: ManagedLoginBrandingRecord = {
      id: this.#core.ids.uuid(),
      poolId: pool.id,
      clientId,
      useCognitoProvidedValues: input.UseCognitoProvidedValues === true,
      settings: input.Settings,
      assets: this.#assets(input.Assets),
      createdAt: now,
      updatedAt: now,
    };
    if (!this.#core.store.branding.insertStyle(record)) {
      throw new ManagedLoginBrandingExistsException(
        `A managed login branding style already exists for app client ${clientId}.`,
      );
    }
    return this.#styleView(record, false);
  }

  /** Template provisioning: the client's style created, or replaced as the template says. */
  putStyleFromTemplate(poolId: string, clientId: string, input: StyleInput): ManagedLoginBrandingType {
    const pool = this.#core.requirePool(poolId);
    const existing = this.#core.store.branding.styleOfClient(pool.id, clientId);
    if (!existing) return this.createStyle(poolId, clientId, input);
    this.#styleChecks(pool, input);
    const record: ManagedLoginBrandingRecord = {
      ...existing,
      useCognitoProvidedValues: input.UseCognitoProvidedValues === true,
      settings: input.Settings,
      assets: this.#assets(input.Assets),
      updatedAt: this.#core.now(),
    };
    this.#core.store.branding.updateStyle(record);
    return this.#styleView(record, false);
  }

  #requireStyle(poolId: string, id: string | undefined): ManagedLoginBrandingRecord {
    const pool = this.#core.requirePool(poolId);
    const style = id === undefined ? undefined : this.#core.store.branding.getStyle(pool.id, id);
    if (!style) throw new ResourceNotFoundException(`Managed login branding style ${id} does not exist.`);
    return style;
  }

  describeStyle(poolId: string, id: string, merged: boolean): ManagedLoginBrandingType {
    return this.#styleView(this.#requireStyle(poolId, id), merged);
  }

  describeStyleOfClient(poolId: string, clientId: string, merged: boolean): ManagedLoginBrandingType {
    const pool = this.#core.requirePool(poolId);
    this.#core.requireClient(clientId, pool.id);
    const style = this.#core.store.branding.styleOfClient(pool.id, clientId);
    if (!style) {
      throw new ResourceNotFoundException(`App client ${clientId} has no managed login branding style.`);
    }
    return this.#styleView(style, merged);
  }

  /**
   * UpdateManagedLoginBranding: Settings are merged into the stored ones and Assets replace those of the same
   * category and colour mode, since Cognito keeps what a request does not name; UseCognitoProvidedValues resets both.
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateManagedLoginBranding.html
   */
  updateStyle(
    poolId: string | undefined,
    id: string | undefined,
    input: StyleInput,
  ): ManagedLoginBrandingType {
    if (poolId === undefined || id === undefined) {
      throw new InvalidParameterException('UserPoolId and ManagedLoginBrandingId are required.');
    }
    const style = this.#requireStyle(poolId, id);
    this.#styleChecks(this.#core.requirePool(poolId), input);
    const given = this.#assets(input.Assets);
    const reset = input.UseCognitoProvidedValues === true;
    const kept = reset
      ? []
      : style.assets.filter(
          (a) => !given.some((g) => g.category === a.category && g.colorMode === a.colorMode),
        );
    const record: ManagedLoginBrandingRecord = {
      ...style,
      useCognitoProvidedValues: reset
        ? true
        : input.Settings !== undefined
          ? false
          : style.useCognitoProvidedValues,
      settings: reset ? undefined : mergeSettings(style.settings, input.Settings),
      assets: [...kept, ...given],
      updatedAt: this.#core.now(),
    };
    this.#core.store.branding.updateStyle(record);
    return this.#styleView(record, false);
  }

  deleteStyle(poolId: string, id: string): void {
    const style = this.#requireStyle(poolId, id);
    this.#core.store.branding.deleteStyle(style.poolId, style.id);
  }

  /** The settings in effect: the defaults under what the style customized. */
  #effectiveSettings(s: ManagedLoginBrandingRecord): unknown {
    return s.useCognitoProvidedValues ? DEFAULT_SETTINGS : mergeSettings(DEFAULT_SETTINGS, s.settings);
  }

  #styleView(s: ManagedLoginBrandingRecord, merged: boolean): ManagedLoginBrandingType {
    const settings = merged ? this.#effectiveSettings(s) : s.settings;
    return {
      ManagedLoginBrandingId: s.id,
      UserPoolId: s.poolId,
      UseCognitoProvidedValues: s.useCognitoProvidedValues,
      ...(settings !== undefined ? { Settings: settings as ManagedLoginBrandingType['Settings'] } : {}),
      Assets: s.assets.map((a) => ({
        Category: a.category as AssetType['Category'],
        ColorMode: a.colorMode as AssetType['ColorMode'],
        Extension: a.extension as AssetType['Extension'],
        ...(a.bytes ? { Bytes: a.bytes } : {}),
        ...(a.resourceId !== undefined ? { ResourceId: a.resourceId } : {}),
      })),
      CreationDate: seconds(s.createdAt),
      LastModifiedDate: seconds(s.updatedAt),
    };
  }

  // --- What the pages show ---

  /**
   * The look of the Hosted UI pages for this client: its managed login style's shown settings, then the classic
   * CSS (the client's, else the pool's), which wins where both set something; the logo is the classic one, else
   * the style's FORM_LOGO. Undefined when nothing is customized.
   */
  pageLook(pool: PoolRecord, client: ClientRecord): PageLook | undefined {
    const urls = this.#core.urls;
    const style = this.#core.store.branding.styleOfClient(pool.id, client.id);
    const ui = this.#effectiveUi(pool.id, client.id);
    if (!style && !ui) return undefined;
    let css = '';
    let logoUrl: string | undefined;
    if (style) {
      const settings = this.#effectiveSettings(style);
      const mode = schemeOf(settings) === 'DARK' ? 'DARK' : 'LIGHT';
      const bg = assetFor(style.assets, 'PAGE_BACKGROUND', mode);
      const logo = assetFor(style.assets, 'FORM_LOGO', mode);
      css += managedLoginCss(
        settings,
        bg ? urls.brandingAsset(pool.id, style.id, `${bg.category}-${bg.colorMode}`) : undefined,
      );
      if (logo) logoUrl = urls.brandingAsset(pool.id, style.id, `${logo.category}-${logo.colorMode}`);
    }
    if (ui?.css) css += checkUiCss(ui.css);
    if (ui?.image) logoUrl = urls.brandingAsset(pool.id, ui.clientId, `logo-${ui.version}`);
    return { css, logoUrl };
  }

  /** An image for `GET /branding/<pool>/<scope>/<file>`: a classic logo or a managed login style's asset. */
  image(poolId: string, scope: string, file: string): BrandingImage | undefined {
    const store = this.#core.store.branding;
    if (LOGO_FILE.test(file)) {
      const ui = store.getUi(poolId, scope);
      return ui?.image && ui.imageType ? { bytes: ui.image, type: ui.imageType } : undefined;
    }
    const style = store.getStyle(poolId, scope);
    const asset = style?.assets.find((a) => `${a.category}-${a.colorMode}` === file);
    if (!asset?.bytes) return undefined;
    return { bytes: asset.bytes, type: EXTENSION_TYPES[asset.extension] ?? 'application/octet-stream' };
  }
}
