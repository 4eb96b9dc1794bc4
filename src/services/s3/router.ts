import type { IncomingMessage } from 'node:http';
import { AwsError, splitUrl } from '../../protocols/index.js';
import { S3Errors } from './errors.js';
import { routeSubresource } from './subresources.js';

/** Sub-resources of S3 that the local cloud does not implement: they get NotImplemented, not a wrong answer. */
const UNSUPPORTED = [
  'acl',
  'policy',
  'cors',
  'website',
  'versioning',
  'accelerate',
  'requestPayment',
  'logging',
  'lifecycle',
  'replication',
  'encryption',
  'object-lock',
  'tagging',
  'notification',
  'ownershipControls',
  'publicAccessBlock',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'attributes',
  'policyStatus',
  'uploads',
  'versionId',
];

export interface Routed {
  op: string;
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/**
 * Finds the operation of an S3 request, path-style (`/bucket/key`) or virtual-hosted (`bucket.localhost/key`), from
 * its method, whether it names a bucket and a key, and its sub-resource query parameters.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
export function route(req: IncomingMessage, virtualHostBucket?: string): Routed {
  const { path, query } = splitUrl(req.url);
  let bucket: string;
  let rawKey: string;
  if (virtualHostBucket) {
    bucket = virtualHostBucket;
    rawKey = path.slice(1);
  } else {
    const rest = path.slice(1);
    const slash = rest.indexOf('/');
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    rawKey = slash < 0 ? '' : rest.slice(slash + 1);
  }
  let key: string;
  try {
    bucket = decodeURIComponent(bucket);
    key = decodeURIComponent(rawKey);
  } catch {
    throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
  const method = req.method ?? 'GET';
  const has = (k: string) => query.has(k);
  const unsupported = UNSUPPORTED.find((k) => has(k) && !(k === 'uploads' && method === 'POST' && key));
  const found = (op: string): Routed => ({ op, bucket, key, query });
  const sub = bucket ? routeSubresource(method, key, query) : undefined;
  if (sub !== undefined) return found(sub);
  if (!bucket) {
    if (method === 'GET') return found('ListBuckets');
    throw S3Errors.methodNotAllowed(method);
  }
  if (!key) {
    if (method === 'GET' && has('location')) return found('GetBucketLocation');
    if (method === 'POST' && has('delete')) return found('DeleteObjects');
    if (method === 'GET' && has('versions')) return found('ListObjectVersions');
    if (unsupported) throw S3Errors.notImplemented(`?${unsupported}`);
    switch (method) {
      case 'PUT':
        return found('CreateBucket');
      case 'DELETE':
        return found('DeleteBucket');
      case 'HEAD':
        return found('HeadBucket');
      case 'GET':
        return found(query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects');
      default:
        throw S3Errors.methodNotAllowed(method);
    }
  }
  if (unsupported) throw S3Errors.notImplemented(`?${unsupported}`);
  const copy = req.headers['x-amz-copy-source'] !== undefined;
  switch (method) {
    case 'PUT':
      if (has('uploadId') || has('partNumber')) {
        if (copy) throw S3Errors.notImplemented('UploadPartCopy');
        return found('UploadPart');
      }
      return found(copy ? 'CopyObject' : 'PutObject');
    case 'GET':
      return found(has('uploadId') ? 'ListParts' : 'GetObject');
    case 'HEAD':
      return found('HeadObject');
    case 'DELETE':
      return found(has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject');
    case 'POST':
      if (has('uploads')) return found('CreateMultipartUpload');
      if (has('uploadId')) return found('CompleteMultipartUpload');
      throw S3Errors.methodNotAllowed(method);
    default:
      throw S3Errors.methodNotAllowed(method);
  }
}
