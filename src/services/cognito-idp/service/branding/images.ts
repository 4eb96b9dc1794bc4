/** The image checks of SetUICustomization (ImageFile) and managed login assets (Bytes), on the decoded bytes. */

/** The classic logo's limit: 100 KB. @see https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html */
export const MAX_LOGO_BYTES = 100 * 1024;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The media type of an image by its signature, among the formats Cognito takes; undefined for anything else. */
export function imageType(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(PNG)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.readUInt32BE(0) === 0x00000100 && bytes.length > 6) return 'image/x-icon';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  const head = bytes.subarray(0, 512).toString('utf8').trimStart();
  if ((head.startsWith('<svg') || head.startsWith('<?xml')) && head.includes('<svg')) return 'image/svg+xml';
  return undefined;
}

/** The media type each AssetExtensionType must be. */
export const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  ICO: 'image/x-icon',
  WEBP: 'image/webp',
  SVG: 'image/svg+xml',
};

/** A blob member as the JSON protocol hands it over (base64 text) or as a template gives it. */
export const blobBytes = (v: unknown): Buffer | undefined =>
  typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.isBuffer(v) ? v : undefined;
