/** S3 records as the store keeps them, apart from SQLite. */

export interface BucketRecord {
  name: string;
  region: string;
  createdAt: number;
}

/** Content headers stored with an object and sent back on GET/HEAD. */
export interface ObjectHeaders {
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256';

export interface ObjectRecord {
  bucket: string;
  key: string;
  blob: string;
  size: number;
  /** Quoted, as on the wire: `"<md5 hex>"` or `"<hex>-N"`. */
  etag: string;
  lastModified: number;
  contentType: string | undefined;
  headers: ObjectHeaders;
  /** User metadata (`x-amz-meta-*`), names lower-cased. */
  metadata: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string; type: 'FULL_OBJECT' | 'COMPOSITE' };
  partsCount?: number;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  createdAt: number;
  contentType: string | undefined;
  headers: ObjectHeaders;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
  checksumValue?: string;
  lastModified: number;
}
