/**
 * S3's internal operations for other parts of the local cloud (the CloudFormation engine's AWS::S3::Bucket and
 * Custom::S3AutoDeleteObjects, template and asset reads): the same store the S3 API writes, without HTTP.
 */
import { readFileSync } from 'node:fs';
import type { S3Store } from '../../store/s3/index.js';
import { validBucketName } from './buckets.js';
import { setBucketTags } from './subresources.js';

export interface S3Internal {
  /** Creates the bucket; false when it already exists. Throws on an invalid name. */
  createBucket(name: string): boolean;
  /** Deletes the bucket: 'missing', 'not-empty' or 'deleted'. */
  deleteBucket(name: string): 'missing' | 'not-empty' | 'deleted';
  bucketExists(name: string): boolean;
  /** Deletes every object of the bucket (what CDK's auto-delete-objects handler does); returns how many. */
  emptyBucket(name: string): number;
  /** An object's bytes, or undefined when the bucket or key does not exist. */
  readObject(bucket: string, key: string): Buffer | undefined;
  /** Replaces the bucket's tags (what GetBucketTagging answers). */
  setBucketTags(bucket: string, tags: readonly { Key: string; Value: string }[]): void;
}

export function s3Internal(o: { store: S3Store; region: string; now(): number }): S3Internal {
  const { store } = o;
  return {
    createBucket(name) {
      if (!validBucketName(name)) throw new Error(`Bucket name ${name} is not a valid S3 bucket name`);
      return store.createBucket({ name, region: o.region, createdAt: o.now() });
    },
    deleteBucket: (name) => store.deleteBucket(name),
    bucketExists: (name) => store.getBucket(name) !== undefined,
    emptyBucket(name) {
      let n = 0;
      for (;;) {
        const batch = store.listObjects(name, '', '', 1000);
        if (batch.length === 0) return n;
        for (const obj of batch) {
          const blob = store.deleteObject(name, obj.key);
          if (blob) store.blobs.remove(blob);
          n++;
        }
      }
    },
    setBucketTags: (bucket, tags) => setBucketTags(store, bucket, tags),
    readObject(bucket, key) {
      const obj = store.getObject(bucket, key);
      return obj ? readFileSync(store.blobs.path(obj.blob)) : undefined;
    },
  };
}
