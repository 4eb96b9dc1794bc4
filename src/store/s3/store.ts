import { join } from 'node:path';
import { type Db, openDatabase } from '../db.js';
import { type RecordCollection, type Records, SqliteRecords } from '../records.js';
import { BlobStore } from './blobs.js';
import { s3Migrations } from './migrations.js';
import type { BucketRecord, ChecksumAlgorithm, ObjectRecord, PartRecord, UploadRecord } from './records.js';

interface ObjectRow {
  bucket: string;
  key: string;
  blob: string;
  size: number;
  etag: string;
  last_modified: number;
  content_type: string | null;
  headers: string;
  metadata: string;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  checksum_type: string | null;
  parts_count: number | null;
}

const toObject = (r: ObjectRow): ObjectRecord => ({
  bucket: r.bucket,
  key: r.key,
  blob: r.blob,
  size: r.size,
  etag: r.etag,
  lastModified: r.last_modified,
  contentType: r.content_type ?? undefined,
  headers: JSON.parse(r.headers),
  metadata: JSON.parse(r.metadata),
  ...(r.checksum_algorithm && r.checksum_value
    ? {
        checksum: {
          algorithm: r.checksum_algorithm as ChecksumAlgorithm,
          value: r.checksum_value,
          type: (r.checksum_type ?? 'FULL_OBJECT') as 'FULL_OBJECT' | 'COMPOSITE',
        },
      }
    : {}),
  ...(r.parts_count ? { partsCount: r.parts_count } : {}),
});

/**
 * S3 metadata in SQLite (`<dir>/s3.sqlite`, every commit fsynced) and object bytes in a BlobStore beside it. Writes
 * that replace an object return the blob they displaced, which the caller removes after the commit.
 */
export class S3Store {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly records: Records;
  /**
   * Sub-resource documents as written (a bucket's cors, policy, ... and object tags), by slot:
   * `<bucket>@<createdAt>?<sub>` or `<bucket>@<createdAt>/<key>?tagging`. Deleting a bucket deletes its slots.
   */
  readonly subresources: RecordCollection<string>;

  constructor(dir: string) {
    this.blobs = new BlobStore(dir);
    this.db = openDatabase(join(dir, 's3.sqlite'), { migrations: s3Migrations, synchronous: 'FULL' });
    this.records = new SqliteRecords(this.db);
    this.subresources = this.records.collection<string>('s3', 'subresource');
    const refs = this.db.prepare(
      'SELECT 1 FROM s3_objects WHERE blob = ? UNION ALL SELECT 1 FROM s3_parts WHERE blob = ? LIMIT 1',
    );
    this.blobs.sweep((id) => refs.get(id, id) !== undefined);
  }

  close(): void {
    this.db.close();
  }

  // ---- buckets ----
  getBucket(name: string): BucketRecord | undefined {
    const r = this.db.prepare('SELECT name, region, created_at FROM s3_buckets WHERE name = ?').get(name) as
      | { name: string; region: string; created_at: number }
      | undefined;
    return r && { name: r.name, region: r.region, createdAt: r.created_at };
  }

  listBuckets(): BucketRecord[] {
    return (
      this.db.prepare('SELECT name, region, created_at FROM s3_buckets ORDER BY name').all() as {
        name: string;
        region: string;
        created_at: number;
      }[]
    ).map((r) => ({ name: r.name, region: r.region, createdAt: r.created_at }));
  }

  /** Creates the bucket; false when it already exists. */
  createBucket(b: BucketRecord): boolean {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO s3_buckets (name, region, created_at) VALUES (?, ?, ?)')
      .run(b.name, b.region, b.createdAt);
    return res.changes === 1;
  }

  /** Deletes an empty bucket: 'missing', 'not-empty' or 'deleted', decided in one transaction. */
  deleteBucket(name: string): 'missing' | 'not-empty' | 'deleted' {
    return this.db.transaction(() => {
      if (!this.getBucket(name)) return 'missing' as const;
      const any =
        this.db.prepare('SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1').get(name) ??
        this.db.prepare('SELECT 1 FROM s3_uploads WHERE bucket = ? LIMIT 1').get(name);
      if (any) return 'not-empty' as const;
      this.db.prepare('DELETE FROM s3_buckets WHERE name = ?').run(name);
      this.subresources.deletePrefix(`${name}@`);
      return 'deleted' as const;
    })();
  }

  // ---- objects ----
  getObject(bucket: string, key: string): ObjectRecord | undefined {
    const r = this.db.prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ?').get(bucket, key) as
      | ObjectRow
      | undefined;
    return r && toObject(r);
  }

  /** Puts the object's row (its blob already durable); returns the blob it replaced, if any. */
  putObject(o: ObjectRecord): string | undefined {
    return this.db.transaction(() => {
      const old = this.db
        .prepare('SELECT blob FROM s3_objects WHERE bucket = ? AND key = ?')
        .get(o.bucket, o.key) as { blob: string } | undefined;
      this.db
        .prepare(
          `INSERT OR REPLACE INTO s3_objects (bucket, key, blob, size, etag, last_modified, content_type, headers,
             metadata, checksum_algorithm, checksum_value, checksum_type, parts_count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          o.bucket,
          o.key,
          o.blob,
          o.size,
          o.etag,
          o.lastModified,
          o.contentType ?? null,
          JSON.stringify(o.headers),
          JSON.stringify(o.metadata),
          o.checksum?.algorithm ?? null,
          o.checksum?.value ?? null,
          o.checksum?.type ?? null,
          o.partsCount ?? null,
        );
      return old && old.blob !== o.blob ? old.blob : undefined;
    })();
  }

  /**
   * Deletes the object's row and its tags (an object put again there starts untagged); returns its blob (to remove
   * after the commit), if there was one.
   */
  deleteObject(bucket: string, key: string): string | undefined {
    return this.db.transaction(() => {
      const r = this.db
        .prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ? RETURNING blob')
        .get(bucket, key) as { blob: string } | undefined;
      const b = this.getBucket(bucket);
      if (r && b) this.subresources.delete(`${b.name}@${b.createdAt}/${key}?tagging`);
      return r?.blob;
    })();
  }

  /** Objects of a bucket with `prefix`, keys strictly after `after`, in key order. */
  listObjects(bucket: string, prefix: string, after: string, limit: number): ObjectRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM s3_objects WHERE bucket = ? AND key > ? AND substr(key, 1, ?) = ?
         ORDER BY key LIMIT ?`,
      )
      .all(bucket, after, prefix.length, prefix, limit) as ObjectRow[];
    return rows.map(toObject);
  }

  // ---- multipart ----
  createUpload(u: UploadRecord): void {
    this.db
      .prepare(
        `INSERT INTO s3_uploads (upload_id, bucket, key, created_at, content_type, headers, metadata,
           checksum_algorithm, checksum_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.uploadId,
        u.bucket,
        u.key,
        u.createdAt,
        u.contentType ?? null,
        JSON.stringify(u.headers),
        JSON.stringify(u.metadata),
        u.checksumAlgorithm ?? null,
        u.checksumType ?? null,
      );
  }

  getUpload(uploadId: string): UploadRecord | undefined {
    const r = this.db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ?').get(uploadId) as
      | Record<string, string | number | null>
      | undefined;
    if (!r) return undefined;
    return {
      uploadId: r.upload_id as string,
      bucket: r.bucket as string,
      key: r.key as string,
      createdAt: r.created_at as number,
      contentType: (r.content_type as string | null) ?? undefined,
      headers: JSON.parse(r.headers as string),
      metadata: JSON.parse(r.metadata as string),
      ...(r.checksum_algorithm ? { checksumAlgorithm: r.checksum_algorithm as ChecksumAlgorithm } : {}),
      ...(r.checksum_type ? { checksumType: r.checksum_type as 'FULL_OBJECT' | 'COMPOSITE' } : {}),
    };
  }

  /** Records a part (its blob already durable); returns the blob of the part it replaced, if any. */
  putPart(p: PartRecord): string | undefined {
    return this.db.transaction(() => {
      const old = this.db
        .prepare('SELECT blob FROM s3_parts WHERE upload_id = ? AND part_number = ?')
        .get(p.uploadId, p.partNumber) as { blob: string } | undefined;
      this.db
        .prepare(
          `INSERT OR REPLACE INTO s3_parts (upload_id, part_number, blob, size, etag, checksum_value, last_modified)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(p.uploadId, p.partNumber, p.blob, p.size, p.etag, p.checksumValue ?? null, p.lastModified);
      return old?.blob;
    })();
  }

  listParts(uploadId: string): PartRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY part_number')
        .all(uploadId) as Record<string, string | number | null>[]
    ).map((r) => ({
      uploadId: r.upload_id as string,
      partNumber: r.part_number as number,
      blob: r.blob as string,
      size: r.size as number,
      etag: r.etag as string,
      ...(r.checksum_value ? { checksumValue: r.checksum_value as string } : {}),
      lastModified: r.last_modified as number,
    }));
  }

  /** Drops the upload and its parts; returns the part blobs to remove. */
  deleteUpload(uploadId: string): string[] {
    return this.db.transaction(() => {
      const blobs = (
        this.db.prepare('SELECT blob FROM s3_parts WHERE upload_id = ?').all(uploadId) as { blob: string }[]
      ).map((r) => r.blob);
      this.db.prepare('DELETE FROM s3_parts WHERE upload_id = ?').run(uploadId);
      this.db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?').run(uploadId);
      return blobs;
    })();
  }

  /** Completes an upload in one transaction: the object row in, the upload and its parts out. */
  completeUpload(uploadId: string, o: ObjectRecord): { replaced?: string; parts: string[] } {
    return this.db.transaction(() => {
      const parts = this.deleteUpload(uploadId);
      const replaced = this.putObject(o);
      return { ...(replaced ? { replaced } : {}), parts };
    })();
  }
}
