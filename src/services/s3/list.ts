import { sendXml } from '../../protocols/index.js';
import type { ObjectRecord } from '../../store/s3/index.js';
import { requireBucket } from './buckets.js';
import { S3Errors } from './errors.js';
import { S3_XMLNS, type S3Context, type S3Operation, type S3Request } from './types.js';

interface Page {
  contents: ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts: after this key, skipping keys under `skip` (the last common prefix). */
  next: { after: string; skip?: string };
}

/**
 * One page of a listing in UTF-8 key order: keys under `prefix`, after `after`, with keys sharing a prefix up to the
 * `delimiter` rolled into one common prefix (which counts once toward `maxKeys`).
 */
function listPage(
  ctx: S3Context,
  bucket: string,
  o: { prefix: string; delimiter: string; after: string; skip?: string; maxKeys: number },
): Page {
  const page: Page = { contents: [], commonPrefixes: [], truncated: false, next: { after: o.after } };
  let after = o.after;
  let lastPrefix = o.skip;
  for (;;) {
    const batch = ctx.store.listObjects(bucket, o.prefix, after, 1000);
    if (!batch.length) return page;
    let jumped = false;
    for (const obj of batch) {
      after = obj.key;
      if (lastPrefix && obj.key.startsWith(lastPrefix)) continue;
      const rest = obj.key.slice(o.prefix.length);
      const i = o.delimiter ? rest.indexOf(o.delimiter) : -1;
      if (page.contents.length + page.commonPrefixes.length >= o.maxKeys) {
        page.truncated = true;
        return page;
      }
      if (i >= 0) {
        const cp = o.prefix + rest.slice(0, i + o.delimiter.length);
        page.commonPrefixes.push(cp);
        lastPrefix = cp;
        page.next = { after: obj.key, skip: cp };
        // Jump past the keys under this common prefix rather than reading them all.
        after = `${cp}\uffff`;
        jumped = true;
        break;
      }
      page.contents.push(obj);
      page.next = { after: obj.key };
    }
    if (!jumped && batch.length < 1000) return page;
  }
}

const encodeToken = (next: Page['next']) => Buffer.from(JSON.stringify(next)).toString('base64url');

function decodeToken(token: string): Page['next'] {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Page['next'];
    if (typeof v.after === 'string' && (v.skip === undefined || typeof v.skip === 'string')) return v;
  } catch {
    // falls through
  }
  throw S3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

function commonParams(r: S3Request) {
  const q = r.query;
  const raw = q.get('max-keys');
  if (raw !== null && !/^\d+$/.test(raw)) {
    throw S3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      raw,
    );
  }
  const encoding = q.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    throw S3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  }
  // S3's url encoding: what encodeURIComponent does, keeping `/` (clients decode either way).
  const enc = (s: string) => (encoding ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  return {
    prefix: q.get('prefix') ?? '',
    delimiter: q.get('delimiter') ?? '',
    maxKeys: raw === null ? 1000 : Math.min(1000, Number(raw)),
    encoding,
    enc,
  };
}

const contentsOf = (objects: ObjectRecord[], enc: (s: string) => string, owner?: object) =>
  objects.map((o) => ({
    Key: enc(o.key),
    LastModified: new Date(o.lastModified).toISOString(),
    ETag: o.etag,
    ...(o.checksum ? { ChecksumAlgorithm: o.checksum.algorithm, ChecksumType: o.checksum.type } : {}),
    Size: o.size,
    ...(owner ? { Owner: owner } : {}),
    StorageClass: 'STANDARD',
  }));

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html */
export const listObjectsV2: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  const p = commonParams(r);
  const token = r.query.get('continuation-token');
  const startAfter = r.query.get('start-after') ?? '';
  const from = token !== null ? decodeToken(token) : { after: startAfter };
  const page = listPage(ctx, r.bucket, {
    ...p,
    after: from.after,
    ...(from.skip ? { skip: from.skip } : {}),
  });
  const owner =
    r.query.get('fetch-owner') === 'true'
      ? { ID: ctx.accountId.padStart(64, '0'), DisplayName: 'local' }
      : undefined;
  sendXml(
    r.res,
    200,
    'ListBucketResult',
    {
      Name: r.bucket,
      Prefix: p.enc(p.prefix),
      ...(token !== null ? { ContinuationToken: token } : {}),
      ...(page.truncated ? { NextContinuationToken: encodeToken(page.next) } : {}),
      ...(startAfter ? { StartAfter: p.enc(startAfter) } : {}),
      KeyCount: page.contents.length + page.commonPrefixes.length,
      MaxKeys: p.maxKeys,
      ...(p.delimiter ? { Delimiter: p.enc(p.delimiter) } : {}),
      ...(p.encoding ? { EncodingType: p.encoding } : {}),
      IsTruncated: page.truncated ? 'true' : 'false',
      ...(page.contents.length ? { Contents: contentsOf(page.contents, p.enc, owner) } : {}),
      ...(page.commonPrefixes.length
        ? { CommonPrefixes: page.commonPrefixes.map((c) => ({ Prefix: p.enc(c) })) }
        : {}),
    },
    r.ids,
    S3_XMLNS,
  );
};

/** The original listing (`marker`), which older tools still send. */
export const listObjects: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  const p = commonParams(r);
  const marker = r.query.get('marker') ?? '';
  // A marker that is a common prefix (a previous NextMarker) resumes after everything under it.
  const skip = p.delimiter && marker.endsWith(p.delimiter) ? { skip: marker } : {};
  const page = listPage(ctx, r.bucket, { ...p, after: marker, ...skip });
  const owner = { ID: ctx.accountId.padStart(64, '0'), DisplayName: 'local' };
  const nextMarker = page.next.skip ?? page.next.after;
  sendXml(
    r.res,
    200,
    'ListBucketResult',
    {
      Name: r.bucket,
      Prefix: p.enc(p.prefix),
      Marker: p.enc(marker),
      ...(page.truncated && p.delimiter ? { NextMarker: p.enc(nextMarker) } : {}),
      MaxKeys: p.maxKeys,
      ...(p.delimiter ? { Delimiter: p.enc(p.delimiter) } : {}),
      ...(p.encoding ? { EncodingType: p.encoding } : {}),
      IsTruncated: page.truncated ? 'true' : 'false',
      ...(page.contents.length ? { Contents: contentsOf(page.contents, p.enc, owner) } : {}),
      ...(page.commonPrefixes.length
        ? { CommonPrefixes: page.commonPrefixes.map((c) => ({ Prefix: p.enc(c) })) }
        : {}),
    },
    r.ids,
    S3_XMLNS,
  );
};

/**
 * ListObjectVersions of a bucket that never had versioning (the local S3 keeps no versions): every object is its
 * own only version, `VersionId` `null` and latest; no delete markers. What CDK's auto-delete-objects handler reads.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
 */
export const listObjectVersions: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  const p = commonParams(r);
  const marker = r.query.get('key-marker') ?? '';
  const skip = p.delimiter && marker.endsWith(p.delimiter) ? { skip: marker } : {};
  const page = listPage(ctx, r.bucket, { ...p, after: marker, ...skip });
  const owner = { ID: ctx.accountId.padStart(64, '0'), DisplayName: 'local' };
  sendXml(
    r.res,
    200,
    'ListVersionsResult',
    {
      Name: r.bucket,
      Prefix: p.enc(p.prefix),
      KeyMarker: p.enc(marker),
      VersionIdMarker: '',
      ...(page.truncated
        ? { NextKeyMarker: p.enc(page.next.skip ?? page.next.after), NextVersionIdMarker: 'null' }
        : {}),
      MaxKeys: p.maxKeys,
      ...(p.delimiter ? { Delimiter: p.enc(p.delimiter) } : {}),
      ...(p.encoding ? { EncodingType: p.encoding } : {}),
      IsTruncated: page.truncated ? 'true' : 'false',
      ...(page.contents.length
        ? {
            Version: contentsOf(page.contents, p.enc, owner).map(({ Key, ...rest }) => ({
              Key,
              VersionId: 'null',
              IsLatest: 'true',
              ...rest,
            })),
          }
        : {}),
      ...(page.commonPrefixes.length
        ? { CommonPrefixes: page.commonPrefixes.map((c) => ({ Prefix: p.enc(c) })) }
        : {}),
    },
    r.ids,
    S3_XMLNS,
  );
};
