export { BlobStore } from './blobs.js';
export { s3Migrations } from './migrations.js';
export type {
  BucketRecord,
  ChecksumAlgorithm,
  ObjectHeaders,
  ObjectRecord,
  PartRecord,
  UploadRecord,
} from './records.js';
export { S3Store } from './store.js';
