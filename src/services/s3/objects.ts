import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, openSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { readBody, restXmlIdHeaders, send, sendXml } from '../../protocols/index.js';
import { readXmlBody } from '../../protocols/restXml.js';
import type { ObjectRecord } from '../../store/s3/index.js';
import { requireBucket } from './buckets.js';
import { ALGORITHMS, headerOfAlgorithm, newHasher } from './checksums.js';
import { S3Errors } from './errors.js';
import { etagMatches, metadataOf, objectResponseHeaders } from './objectHeaders.js';
import { receiveBody } from './receive.js';
import { S3_XMLNS, type S3Context, type S3Operation, type S3Request } from './types.js';

const checksumHeaders = (o: Pick<ObjectRecord, 'checksum'>): Record<string, string> =>
  o.checksum
    ? { [headerOfAlgorithm(o.checksum.algorithm)]: o.checksum.value, 'x-amz-checksum-type': o.checksum.type }
    : {};

/** The object, or NoSuchKey (after NoSuchBucket). */
export function requireObject(ctx: S3Context, bucket: string, key: string): ObjectRecord {
  requireBucket(ctx, bucket);
  const o = ctx.store.getObject(bucket, key);
  if (!o) throw S3Errors.noSuchKey(key);
  return o;
}

/**
 * Stores the body under the key. The reply (and so the acknowledgement) is sent only after the bytes are fsynced
 * and renamed into place and the metadata is committed; the replaced object's bytes are removed afterwards.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export const putObject: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  if (r.key.length > 1024) throw S3Errors.invalidArgument('Your key is too long', 'key');
  const meta = metadataOf(r.req);
  const got = await receiveBody(r.req, ctx.store.blobs);
  const record: ObjectRecord = {
    bucket: r.bucket,
    key: r.key,
    blob: got.blob,
    size: got.size,
    etag: `"${got.md5}"`,
    lastModified: ctx.clock.now(),
    ...meta,
    ...(got.checksum ? { checksum: { ...got.checksum, type: 'FULL_OBJECT' as const } } : {}),
  };
  let replaced: string | undefined;
  try {
    // The bucket may have gone while the body streamed in.
    requireBucket(ctx, r.bucket);
    replaced = ctx.store.putObject(record);
  } catch (err) {
    ctx.store.blobs.remove(got.blob);
    throw err;
  }
  if (replaced) ctx.store.blobs.remove(replaced);
  send(r.res, 200, { ...restXmlIdHeaders(r.ids), etag: record.etag, ...checksumHeaders(record) });
};

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined when absent or not one byte range (S3 then sends it all). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return 'invalid';
  return { start, end };
}

/** Conditional requests: 304 for If-None-Match / If-Modified-Since, 412 for If-Match / If-Unmodified-Since. */
function checkConditions(r: S3Request, o: ObjectRecord): 304 | undefined {
  const h = r.req.headers;
  const ifMatch = h['if-match'];
  const ifNoneMatch = h['if-none-match'];
  const since = Date.parse(String(h['if-modified-since'] ?? ''));
  const unmodifiedSince = Date.parse(String(h['if-unmodified-since'] ?? ''));
  const modifiedSecs = Math.floor(o.lastModified / 1000) * 1000;
  if (typeof ifMatch === 'string' && !etagMatches(ifMatch, o.etag))
    throw S3Errors.preconditionFailed('If-Match');
  if (typeof ifMatch !== 'string' && Number.isFinite(unmodifiedSince) && modifiedSecs > unmodifiedSince) {
    throw S3Errors.preconditionFailed('If-Unmodified-Since');
  }
  if (typeof ifNoneMatch === 'string' && etagMatches(ifNoneMatch, o.etag)) return 304;
  if (typeof ifNoneMatch !== 'string' && Number.isFinite(since) && modifiedSecs <= since) return 304;
  return undefined;
}

async function getOrHead(ctx: S3Context, r: S3Request, head: boolean): Promise<void> {
  const o = requireObject(ctx, r.bucket, r.key);
  if (checkConditions(r, o) === 304) {
    send(r.res, 304, {
      ...restXmlIdHeaders(r.ids),
      etag: o.etag,
      'last-modified': new Date(o.lastModified).toUTCString(),
    });
    return;
  }
  const rangeHeader = typeof r.req.headers.range === 'string' ? r.req.headers.range : undefined;
  const range = parseRange(rangeHeader, o.size);
  if (range === 'invalid') throw S3Errors.invalidRange(o.size, rangeHeader ?? '');
  const checksum = !range && String(r.req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED';
  const headers: Record<string, string | number> = {
    ...restXmlIdHeaders(r.ids),
    ...objectResponseHeaders(o, { checksum, query: r.query }),
    'content-length': range ? range.end - range.start + 1 : o.size,
    ...(o.partsCount ? { 'x-amz-mp-parts-count': o.partsCount } : {}),
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${o.size}`;
  const status = range ? 206 : 200;
  if (head || o.size === 0) {
    r.res.writeHead(status, headers);
    r.res.end();
    return;
  }
  // Opened before any await: an overwrite committed meanwhile removes the path, but this descriptor keeps the bytes.
  const fd = openSync(ctx.store.blobs.path(o.blob), 'r');
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream('', { fd, ...(range ? { start: range.start, end: range.end } : {}) });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  r.res.writeHead(status, headers);
  await pipeline(stream, r.res).catch(() => r.res.destroy());
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html */
export const getObject: S3Operation = (ctx, r) => getOrHead(ctx, r, false);
/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html */
export const headObject: S3Operation = (ctx, r) => getOrHead(ctx, r, true);

/** Deleting a key that does not exist succeeds, as on S3. */
export const deleteObject: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  const blob = ctx.store.deleteObject(r.bucket, r.key);
  if (blob) ctx.store.blobs.remove(blob);
  send(r.res, 204, restXmlIdHeaders(r.ids));
};

/**
 * Copies an object (`x-amz-copy-source: /bucket/key`), with its metadata (COPY, the default) or the request's
 * (REPLACE). The copy is durable before the reply, like a PUT.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
export const copyObject: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  let source = String(r.req.headers['x-amz-copy-source'] ?? '');
  source = source.split('?')[0] ?? '';
  try {
    source = decodeURIComponent(source);
  } catch {
    throw S3Errors.invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', source);
  }
  source = source.replace(/^\//, '');
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) {
    throw S3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', source);
  }
  const src = requireObject(ctx, source.slice(0, slash), source.slice(slash + 1));
  const replace = String(r.req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
  if (!replace && src.bucket === r.bucket && src.key === r.key) {
    throw S3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const temp = ctx.store.blobs.newTemp();
  try {
    copyFileSync(ctx.store.blobs.path(src.blob), temp.path);
    ctx.store.blobs.commit(temp.id);
  } catch (err) {
    ctx.store.blobs.discardTemp(temp.id);
    throw err;
  }
  const meta = replace
    ? metadataOf(r.req)
    : { contentType: src.contentType, headers: src.headers, metadata: src.metadata };
  const record: ObjectRecord = {
    ...src,
    ...meta,
    bucket: r.bucket,
    key: r.key,
    blob: temp.id,
    lastModified: ctx.clock.now(),
  };
  const replaced = ctx.store.putObject(record);
  if (replaced) ctx.store.blobs.remove(replaced);
  const checksum = record.checksum ? { [`Checksum${record.checksum.algorithm}`]: record.checksum.value } : {};
  sendXml(
    r.res,
    200,
    'CopyObjectResult',
    { ETag: record.etag, LastModified: new Date(record.lastModified).toISOString(), ...checksum },
    r.ids,
    S3_XMLNS,
  );
};

/** Content-MD5 or a checksum header must come with DeleteObjects, and must match the body. */
async function verifiedBody(r: S3Request): Promise<Buffer> {
  const body = await readBody(r.req, 2 * 1024 * 1024).catch(() => {
    throw S3Errors.malformedXml();
  });
  const md5 = r.req.headers['content-md5'];
  if (typeof md5 === 'string') {
    if (createHash('md5').update(body).digest('base64') !== md5) throw S3Errors.badContentMd5();
    return body;
  }
  for (const a of ALGORITHMS) {
    const v = r.req.headers[headerOfAlgorithm(a)];
    if (typeof v !== 'string') continue;
    const h = newHasher(a);
    h.update(body);
    if (h.digest() !== v) throw S3Errors.badDigest(a);
    return body;
  }
  throw S3Errors.invalidRequest('Missing required header for this request: Content-MD5');
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html */
export const deleteObjects: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  const body = await verifiedBody(r);
  const xml = readXmlBody(body, true);
  const del = xml?.Delete;
  if (!del || typeof del !== 'object') throw S3Errors.malformedXml();
  const d = del as { Object?: unknown; Quiet?: unknown };
  const objects = (
    Array.isArray(d.Object) ? d.Object : d.Object === undefined ? [] : [d.Object]
  ) as unknown[];
  if (objects.length === 0 || objects.length > 1000) throw S3Errors.malformedXml();
  const keys = objects.map((o) => {
    const k = (o as { Key?: unknown } | null)?.Key;
    if (typeof k !== 'string' || k === '') throw S3Errors.malformedXml();
    return k;
  });
  const quiet = String(d.Quiet ?? '').trim() === 'true';
  const deleted: { Key: string }[] = [];
  for (const key of keys) {
    const blob = ctx.store.deleteObject(r.bucket, key);
    if (blob) ctx.store.blobs.remove(blob);
    if (!quiet) deleted.push({ Key: key });
  }
  sendXml(r.res, 200, 'DeleteResult', deleted.length ? { Deleted: deleted } : {}, r.ids, S3_XMLNS);
};
