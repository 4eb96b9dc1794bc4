/**
 * S3 (restXml) on the one AWS endpoint: path-style and virtual-hosted (`<bucket>.localhost`) requests, buckets,
 * objects (aws-chunked bodies, checksums, ranges, copies, batch deletes), listings and multipart uploads. Object
 * bytes live under the data dir and metadata in SQLite (src/store/s3); an object is acknowledged only once durable.
 * Signatures are parsed for routing and NOT verified.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AwsError,
  type AwsService,
  type RequestContext,
  s3RequestIds,
  sendRestXmlError,
} from '../../protocols/index.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { S3Store } from '../../store/s3/index.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  headBucket,
  listBuckets,
  validBucketName,
} from './buckets.js';
import { listObjects, listObjectsV2, listObjectVersions } from './list.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
} from './multipart.js';
import { copyObject, deleteObject, deleteObjects, getObject, headObject, putObject } from './objects.js';
import { route } from './router.js';
import { subresourceOperations } from './subresources.js';
import type { S3Context, S3Operation } from './types.js';

export { model } from './model.gen.js';

/** Every S3 operation served, by its name in the S3 API. */
export const operations: Readonly<Record<string, S3Operation>> = {
  AbortMultipartUpload: abortMultipartUpload,
  CompleteMultipartUpload: completeMultipartUpload,
  CopyObject: copyObject,
  CreateBucket: createBucket,
  CreateMultipartUpload: createMultipartUpload,
  DeleteBucket: deleteBucket,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  GetBucketLocation: getBucketLocation,
  GetObject: getObject,
  HeadBucket: headBucket,
  HeadObject: headObject,
  ListBuckets: listBuckets,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  ListParts: listParts,
  PutObject: putObject,
  UploadPart: uploadPart,
  ...subresourceOperations,
};

export interface S3ServiceOptions {
  store: S3Store;
  region: string;
  accountId: string;
  clock?: Clock;
}

/** Creates the named buckets if absent (the `AWS::S3::Bucket`s of the deployed stack); returns the names created. */
export function ensureBuckets(o: S3ServiceOptions, names: readonly string[]): string[] {
  const now = (o.clock ?? systemClock).now();
  return names.filter((name) => {
    if (!validBucketName(name))
      throw new Error(`The stack's bucket name ${name} is not a valid S3 bucket name`);
    return o.store.createBucket({ name, region: o.region, createdAt: now });
  });
}

export function createS3Service(o: S3ServiceOptions): AwsService {
  const ctx: S3Context = {
    store: o.store,
    region: o.region,
    accountId: o.accountId,
    clock: o.clock ?? systemClock,
  };
  async function handle(req: IncomingMessage, res: ServerResponse, rc: RequestContext): Promise<void> {
    const ids = s3RequestIds();
    try {
      const routed = route(req, rc.virtualHostBucket);
      rc.op = routed.op;
      const op = operations[routed.op] as S3Operation;
      await op(ctx, { req, res, ids, bucket: routed.bucket, key: routed.key, query: routed.query });
    } catch (err) {
      req.resume();
      let e: AwsError;
      if (err instanceof AwsError) e = err;
      else {
        rc.log.error({ reqId: ids.requestId, op: rc.op, err }, 'unexpected error');
        e = new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
      }
      sendRestXmlError(res, e, ids, req.method === 'HEAD');
    }
  }
  return { name: 's3', signingNames: ['s3'], virtualHosts: true, handle };
}
