import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readBody, restXmlIdHeaders, send, sendXml } from '../../protocols/index.js';
import { readXmlBody } from '../../protocols/restXml.js';
import type { ChecksumAlgorithm, ObjectRecord, PartRecord, UploadRecord } from '../../store/s3/index.js';
import { requireBucket } from './buckets.js';
import { ALGORITHMS, compositeChecksum, headerOfAlgorithm, newHasher } from './checksums.js';
import { S3Errors } from './errors.js';
import { metadataOf } from './objectHeaders.js';
import { receiveBody } from './receive.js';
import { S3_XMLNS, type S3Context, type S3Operation, type S3Request } from './types.js';

/** Every part but the last must be at least 5 MiB. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

function requireUpload(ctx: S3Context, r: S3Request): UploadRecord {
  requireBucket(ctx, r.bucket);
  const id = r.query.get('uploadId') ?? '';
  const u = ctx.store.getUpload(id);
  if (!u || u.bucket !== r.bucket || u.key !== r.key) throw S3Errors.noSuchUpload(id);
  return u;
}

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html */
export const createMultipartUpload: S3Operation = async (ctx, r) => {
  requireBucket(ctx, r.bucket);
  r.req.resume();
  const named = String(r.req.headers['x-amz-checksum-algorithm'] ?? '').toUpperCase();
  if (named && !(ALGORITHMS as readonly string[]).includes(named)) {
    throw S3Errors.invalidRequest(`Checksum algorithm ${named} is not supported.`);
  }
  const type = String(r.req.headers['x-amz-checksum-type'] ?? '').toUpperCase();
  const algorithm = named ? (named as ChecksumAlgorithm) : undefined;
  const checksumType = type === 'FULL_OBJECT' ? 'FULL_OBJECT' : 'COMPOSITE';
  const upload: UploadRecord = {
    uploadId: randomBytes(32).toString('base64url'),
    bucket: r.bucket,
    key: r.key,
    createdAt: ctx.clock.now(),
    ...metadataOf(r.req),
    ...(algorithm ? { checksumAlgorithm: algorithm, checksumType } : {}),
  };
  ctx.store.createUpload(upload);
  sendXml(
    r.res,
    200,
    'InitiateMultipartUploadResult',
    { Bucket: r.bucket, Key: r.key, UploadId: upload.uploadId },
    r.ids,
    S3_XMLNS,
    algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': checksumType } : {},
  );
};

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html */
export const uploadPart: S3Operation = async (ctx, r) => {
  const raw = r.query.get('partNumber') ?? '';
  const partNumber = Number(raw);
  if (!/^\d+$/.test(raw) || partNumber < 1 || partNumber > 10000) {
    r.req.resume();
    throw S3Errors.invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      raw,
    );
  }
  const u = requireUpload(ctx, r);
  const got = await receiveBody(r.req, ctx.store.blobs);
  const part: PartRecord = {
    uploadId: u.uploadId,
    partNumber,
    blob: got.blob,
    size: got.size,
    etag: `"${got.md5}"`,
    ...(got.checksum ? { checksumValue: got.checksum.value } : {}),
    lastModified: ctx.clock.now(),
  };
  let replaced: string | undefined;
  try {
    if (!ctx.store.getUpload(u.uploadId)) throw S3Errors.noSuchUpload(u.uploadId);
    replaced = ctx.store.putPart(part);
  } catch (err) {
    ctx.store.blobs.remove(got.blob);
    throw err;
  }
  if (replaced) ctx.store.blobs.remove(replaced);
  send(r.res, 200, {
    ...restXmlIdHeaders(r.ids),
    etag: part.etag,
    ...(got.checksum ? { [headerOfAlgorithm(got.checksum.algorithm)]: got.checksum.value } : {}),
  });
};

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html */
export const listParts: S3Operation = async (ctx, r) => {
  const u = requireUpload(ctx, r);
  const marker = Number(r.query.get('part-number-marker') ?? 0) || 0;
  const max = Math.min(1000, Number(r.query.get('max-parts') ?? 1000) || 1000);
  const all = ctx.store.listParts(u.uploadId).filter((p) => p.partNumber > marker);
  const parts = all.slice(0, max);
  const owner = { ID: ctx.accountId.padStart(64, '0'), DisplayName: 'local' };
  sendXml(
    r.res,
    200,
    'ListPartsResult',
    {
      Bucket: r.bucket,
      Key: r.key,
      UploadId: u.uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: parts.at(-1)?.partNumber ?? marker,
      MaxParts: max,
      IsTruncated: all.length > parts.length ? 'true' : 'false',
      ...(parts.length
        ? {
            Part: parts.map((p) => ({
              PartNumber: p.partNumber,
              LastModified: new Date(p.lastModified).toISOString(),
              ETag: p.etag,
              Size: p.size,
              ...(p.checksumValue && u.checksumAlgorithm
                ? { [`Checksum${u.checksumAlgorithm}`]: p.checksumValue }
                : {}),
            })),
          }
        : {}),
      Initiator: owner,
      Owner: owner,
      StorageClass: 'STANDARD',
      ...(u.checksumAlgorithm
        ? { ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType }
        : {}),
    },
    r.ids,
    S3_XMLNS,
  );
};

/** @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html */
export const abortMultipartUpload: S3Operation = async (ctx, r) => {
  const u = requireUpload(ctx, r);
  for (const blob of ctx.store.deleteUpload(u.uploadId)) ctx.store.blobs.remove(blob);
  send(r.res, 204, restXmlIdHeaders(r.ids));
};

/** The parts named by a CompleteMultipartUpload body, in order, or MalformedXML. */
function requestedParts(
  body: Buffer,
): { partNumber: number; etag: string; checksums: Record<string, string> }[] {
  const xml = readXmlBody(body);
  const root = xml?.CompleteMultipartUpload as { Part?: unknown } | undefined;
  if (!root || typeof root !== 'object') throw S3Errors.malformedXml();
  const list = (
    Array.isArray(root.Part) ? root.Part : root.Part === undefined ? [] : [root.Part]
  ) as unknown[];
  if (!list.length) throw S3Errors.malformedXml();
  return list.map((p) => {
    const part = p as Record<string, unknown>;
    const n = Number(part.PartNumber);
    if (!Number.isInteger(n) || typeof part.ETag !== 'string') throw S3Errors.malformedXml();
    const checksums: Record<string, string> = {};
    for (const a of ALGORITHMS) {
      const v = part[`Checksum${a}`];
      if (typeof v === 'string') checksums[a] = v;
    }
    return { partNumber: n, etag: part.ETag, checksums };
  });
}

/**
 * Assembles the parts into one durable blob and commits the object in one transaction with the upload's removal.
 * ETag: MD5 of the parts' binary MD5s, `-N`. Checksum: COMPOSITE (of the parts' checksums, `-N`) or FULL_OBJECT.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
export const completeMultipartUpload: S3Operation = async (ctx, r) => {
  const u = requireUpload(ctx, r);
  const wanted = requestedParts(await readBody(r.req, 4 * 1024 * 1024));
  const stored = new Map(ctx.store.listParts(u.uploadId).map((p) => [p.partNumber, p]));
  const parts: PartRecord[] = [];
  for (const [i, w] of wanted.entries()) {
    if (i > 0 && w.partNumber <= (wanted[i - 1]?.partNumber ?? 0)) throw S3Errors.invalidPartOrder();
    const p = stored.get(w.partNumber);
    if (!p || p.etag.replace(/"/g, '') !== w.etag.replace(/"/g, '')) throw S3Errors.invalidPart();
    parts.push(p);
  }
  if (parts.slice(0, -1).some((p) => p.size < MIN_PART_SIZE)) throw S3Errors.entityTooSmall();
  const alg = u.checksumAlgorithm;
  const whole = alg && u.checksumType === 'FULL_OBJECT' ? newHasher(alg) : undefined;
  const partSums: string[] = [];
  const temp = ctx.store.blobs.newTemp();
  const sink = createWriteStream(temp.path, { mode: 0o600 });
  try {
    for (const [i, p] of parts.entries()) {
      const h = alg ? newHasher(alg) : undefined;
      const tap = new Transform({
        transform(chunk: Buffer, _e, done) {
          h?.update(chunk);
          whole?.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(createReadStream(ctx.store.blobs.path(p.blob)), tap, sink, {
        end: i === parts.length - 1,
      });
      if (alg && h) {
        const sum = h.digest();
        const sent = wanted[i]?.checksums[alg];
        if (sent !== undefined && sent !== sum) throw S3Errors.invalidPart();
        partSums.push(sum);
      }
    }
    if (!sink.closed) await new Promise<void>((res, rej) => sink.once('close', res).once('error', rej));
    ctx.store.blobs.commit(temp.id);
  } catch (err) {
    await ctx.store.blobs.discardTempAfterClose(temp.id, sink);
    throw err;
  }
  const md5s = createHash('md5');
  for (const p of parts) md5s.update(Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
  const record: ObjectRecord = {
    bucket: u.bucket,
    key: u.key,
    blob: temp.id,
    size: parts.reduce((n, p) => n + p.size, 0),
    etag: `"${md5s.digest('hex')}-${parts.length}"`,
    lastModified: ctx.clock.now(),
    contentType: u.contentType,
    headers: u.headers,
    metadata: u.metadata,
    partsCount: parts.length,
    ...(alg
      ? {
          checksum: whole
            ? { algorithm: alg, value: whole.digest(), type: 'FULL_OBJECT' as const }
            : { algorithm: alg, value: compositeChecksum(alg, partSums), type: 'COMPOSITE' as const },
        }
      : {}),
  };
  const done = ctx.store.completeUpload(u.uploadId, record);
  for (const b of done.parts) ctx.store.blobs.remove(b);
  if (done.replaced) ctx.store.blobs.remove(done.replaced);
  const host = String(r.req.headers.host ?? 'localhost');
  sendXml(
    r.res,
    200,
    'CompleteMultipartUploadResult',
    {
      Location: `http://${host}/${encodeURIComponent(u.bucket)}/${u.key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: u.bucket,
      Key: u.key,
      ETag: record.etag,
      ...(record.checksum
        ? {
            [`Checksum${record.checksum.algorithm}`]: record.checksum.value,
            ChecksumType: record.checksum.type,
          }
        : {}),
    },
    r.ids,
    S3_XMLNS,
  );
};
