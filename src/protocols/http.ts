import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body over the limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
  }
}

/** Reads the whole body, refusing it (and stopping to buffer) as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request id of JSON, restJson1 and awsQuery services (`x-amzn-RequestId`): a UUID, as AWS sends. */
export const newRequestId = (): string => randomUUID();

/** S3's pair: `x-amz-request-id` (16 upper-case hex digits) and `x-amz-id-2` (an opaque base64 host id). */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(48).toString('base64'),
  };
}

/** Header values must be single-line latin-1; never let a message break the reply. */
export const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, ' ').slice(0, 512);

/** Sends a complete reply (a Buffer, so the content type stays exactly as given, with no charset suffix). */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body?: Buffer | string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (buf) res.setHeader('content-length', buf.length);
  res.end(buf);
}

/** The path and the decoded query of a request URL. */
export function splitUrl(url: string | undefined): {
  path: string;
  query: URLSearchParams;
  rawQuery: string;
} {
  const u = url ?? '/';
  const q = u.indexOf('?');
  const rawQuery = q >= 0 ? u.slice(q + 1) : '';
  return { path: q >= 0 ? u.slice(0, q) : u, query: new URLSearchParams(rawQuery), rawQuery };
}
