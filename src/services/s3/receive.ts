import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsError } from '../../protocols/index.js';
import type { BlobStore, ChecksumAlgorithm } from '../../store/s3/index.js';
import { ALGORITHMS, algorithmOfHeader, type Hasher, headerOfAlgorithm, newHasher } from './checksums.js';
import { AwsChunkedDecoder } from './chunked.js';
import { S3Errors } from './errors.js';

/** A body written to a durable blob, with what S3 computes over it. */
export interface Received {
  blob: string;
  size: number;
  /** MD5 of the bytes, hex (the ETag of a single-part object). */
  md5: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** 5 GiB: the largest single PUT S3 accepts. */
export const MAX_PUT = 5 * 1024 ** 3;

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Which checksum the request asks for, and the value to verify (a header now, or a trailer after the body). */
function requestedChecksum(req: IncomingMessage): {
  algorithm?: ChecksumAlgorithm;
  value?: string;
  trailer?: string;
} {
  for (const a of ALGORITHMS) {
    const v = header(req, headerOfAlgorithm(a));
    if (v !== undefined) return { algorithm: a, value: v };
  }
  const trailer = header(req, 'x-amz-trailer');
  if (trailer) {
    const a = algorithmOfHeader(trailer);
    if (a) return { algorithm: a, trailer: trailer.trim().toLowerCase() };
  }
  const named = (
    header(req, 'x-amz-sdk-checksum-algorithm') ?? header(req, 'x-amz-checksum-algorithm')
  )?.toUpperCase();
  if (named && (ALGORITHMS as readonly string[]).includes(named))
    return { algorithm: named as ChecksumAlgorithm };
  if (named && named !== 'CRC64NVME') {
    throw S3Errors.invalidRequest(`Checksum algorithm ${named} is not supported.`);
  }
  return {};
}

/**
 * Streams a PUT body (plain, or `aws-chunked` with trailing checksums) into a new blob while computing its MD5, the
 * requested checksum and, for a signed payload, its SHA-256; verifies Content-MD5, the checksum, the payload hash
 * and the length; and only then makes the blob durable. On any failure the partial file is removed and nothing is
 * visible.
 */
export async function receiveBody(
  req: IncomingMessage,
  blobs: BlobStore,
  maxSize = MAX_PUT,
): Promise<Received> {
  const encoding = (header(req, 'content-encoding') ?? '').toLowerCase();
  const payloadHash = header(req, 'x-amz-content-sha256') ?? '';
  const chunked =
    encoding.split(',').some((e) => e.trim() === 'aws-chunked') || payloadHash.startsWith('STREAMING-');
  const declaredLength = Number(
    header(req, chunked ? 'x-amz-decoded-content-length' : 'content-length') ?? Number.NaN,
  );
  if (Number.isFinite(declaredLength) && declaredLength > maxSize) {
    req.resume();
    throw S3Errors.entityTooLarge(maxSize);
  }
  const contentMd5 = header(req, 'content-md5');
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
    req.resume();
    throw S3Errors.invalidDigest();
  }
  const wanted = requestedChecksum(req);
  const md5 = createHash('md5');
  const sha256 = /^[0-9a-f]{64}$/.test(payloadHash) ? createHash('sha256') : undefined;
  const checksum: Hasher | undefined = wanted.algorithm ? newHasher(wanted.algorithm) : undefined;
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxSize) return done(S3Errors.entityTooLarge(maxSize));
      md5.update(chunk);
      sha256?.update(chunk);
      checksum?.update(chunk);
      done(null, chunk);
    },
  });
  const decoder = chunked ? new AwsChunkedDecoder() : undefined;
  const temp = blobs.newTemp();
  let sink: WriteStream | undefined;
  try {
    sink = createWriteStream(temp.path, { mode: 0o600 });
    await (decoder ? pipeline(req, decoder, tap, sink) : pipeline(req, tap, sink));
    if (Number.isFinite(declaredLength) && size !== declaredLength) throw S3Errors.incompleteBody();
    const digest = md5.digest();
    if (contentMd5 !== undefined && !digest.equals(Buffer.from(contentMd5, 'base64')))
      throw S3Errors.badContentMd5();
    if (sha256 && sha256.digest('hex') !== payloadHash) throw S3Errors.sha256Mismatch();
    let value: string | undefined;
    if (checksum && wanted.algorithm) {
      value = checksum.digest();
      const sent = wanted.trailer ? decoder?.trailers.get(wanted.trailer) : wanted.value;
      if (wanted.trailer && sent === undefined) {
        throw S3Errors.invalidRequest(`The trailer ${wanted.trailer} was announced but not sent.`);
      }
      if (sent !== undefined && sent !== value) throw S3Errors.badDigest(wanted.algorithm);
    }
    blobs.commit(temp.id);
    return {
      blob: temp.id,
      size,
      md5: digest.toString('hex'),
      ...(value && wanted.algorithm ? { checksum: { algorithm: wanted.algorithm, value } } : {}),
    };
  } catch (err) {
    // A client that went away can fail the pipeline before the file is even open.
    await blobs.discardTempAfterClose(temp.id, sink);
    req.resume();
    if (err instanceof AwsError) throw err;
    // The client went away or the framing was broken: the body is incomplete.
    throw S3Errors.incompleteBody();
  }
}
