/** A classic Hosted UI customization: a pool's default (`clientId` = `ALL`) or one app client's. */
export interface UiCustomizationRecord {
  poolId: string;
  /** An app client id, or `ALL` for the pool's default. */
  clientId: string;
  /** The CSS as accepted (checked against Cognito's allowed classes and properties). */
  css: string | undefined;
  /** The logo's bytes and media type (image/png or image/jpeg). */
  image: Buffer | undefined;
  imageType: string | undefined;
  /** Bumped by every SetUICustomization: names the logo's URL so browsers never show an old one. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** One image of a managed login branding style. */
export interface BrandingAssetRecord {
  category: string;
  colorMode: string;
  extension: string;
  bytes: Buffer | undefined;
  resourceId: string | undefined;
}

/** A managed login branding style, linked to one app client. */
export interface ManagedLoginBrandingRecord {
  id: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The Settings document as given (JSON), or undefined. */
  settings: unknown;
  assets: BrandingAssetRecord[];
  createdAt: number;
  updatedAt: number;
}

/** Hosted UI customizations and managed login branding styles. Each write is one statement or one transaction. */
export interface BrandingStore {
  putUi(r: UiCustomizationRecord): void;
  getUi(poolId: string, clientId: string): UiCustomizationRecord | undefined;
  /** Inserts; false when the client already has a style (the unique key). */
  insertStyle(r: ManagedLoginBrandingRecord): boolean;
  /** Replaces the style's fields and assets. */
  updateStyle(r: ManagedLoginBrandingRecord): void;
  getStyle(poolId: string, id: string): ManagedLoginBrandingRecord | undefined;
  styleOfClient(poolId: string, clientId: string): ManagedLoginBrandingRecord | undefined;
  deleteStyle(poolId: string, id: string): boolean;
  statementSql(): Record<string, string>;
}
