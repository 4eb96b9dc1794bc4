import type { Migration } from '../migrations.js';
import { recordsMigration } from '../records.js';

/** The S3 metadata schema (its own file, `<dataDir>/s3/s3.sqlite`). Keys compare as UTF-8 bytes, as S3 lists them. */
export const s3Migrations: readonly Migration[] = [
  {
    id: 1,
    name: 's3 buckets, objects, multipart uploads and parts',
    sql: `
      CREATE TABLE s3_buckets (
        name TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE s3_objects (
        bucket TEXT NOT NULL REFERENCES s3_buckets(name),
        key TEXT NOT NULL,
        blob TEXT NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified INTEGER NOT NULL,
        content_type TEXT,
        headers TEXT NOT NULL,
        metadata TEXT NOT NULL,
        checksum_algorithm TEXT,
        checksum_value TEXT,
        checksum_type TEXT,
        parts_count INTEGER,
        PRIMARY KEY (bucket, key)
      ) WITHOUT ROWID;
      CREATE TABLE s3_uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL REFERENCES s3_buckets(name),
        key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        content_type TEXT,
        headers TEXT NOT NULL,
        metadata TEXT NOT NULL,
        checksum_algorithm TEXT,
        checksum_type TEXT
      );
      CREATE TABLE s3_parts (
        upload_id TEXT NOT NULL REFERENCES s3_uploads(upload_id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        blob TEXT NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        checksum_value TEXT,
        last_modified INTEGER NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      );
    `,
  },
  // Bucket sub-resources (acl, policy, cors...) and object tags, as documents (kind `subresource`).
  recordsMigration,
];
