import type { IncomingMessage } from 'node:http';
import type { ObjectHeaders, ObjectRecord } from '../../store/s3/index.js';
import { headerOfAlgorithm } from './checksums.js';

/** S3's content type for an object stored without one. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/** Content type, content headers and `x-amz-meta-*` user metadata of a PUT / CreateMultipartUpload / CopyObject. */
export function metadataOf(req: IncomingMessage): {
  contentType: string;
  headers: ObjectHeaders;
  metadata: Record<string, string>;
} {
  const h = req.headers;
  // aws-chunked is the transfer framing, not the object's encoding.
  const encoding = str(h['content-encoding'])
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked')
    .join(',');
  const headers: ObjectHeaders = {
    ...(encoding ? { contentEncoding: encoding } : {}),
    ...(str(h['content-disposition']) ? { contentDisposition: str(h['content-disposition']) } : {}),
    ...(str(h['content-language']) ? { contentLanguage: str(h['content-language']) } : {}),
    ...(str(h['cache-control']) ? { cacheControl: str(h['cache-control']) } : {}),
    ...(str(h.expires) ? { expires: str(h.expires) } : {}),
  };
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
  }
  return { contentType: str(h['content-type']) ?? DEFAULT_CONTENT_TYPE, headers, metadata };
}

/** The headers GET and HEAD answer for an object (checksums only when asked, and only for the whole object). */
export function objectResponseHeaders(
  o: ObjectRecord,
  opts: { checksum: boolean; query?: URLSearchParams },
): Record<string, string> {
  const q = opts.query;
  const out: Record<string, string> = {
    'content-type': q?.get('response-content-type') ?? o.contentType ?? DEFAULT_CONTENT_TYPE,
    etag: o.etag,
    'last-modified': new Date(o.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  const enc = q?.get('response-content-encoding') ?? o.headers.contentEncoding;
  const disp = q?.get('response-content-disposition') ?? o.headers.contentDisposition;
  const lang = q?.get('response-content-language') ?? o.headers.contentLanguage;
  const cache = q?.get('response-cache-control') ?? o.headers.cacheControl;
  const expires = q?.get('response-expires') ?? o.headers.expires;
  if (enc) out['content-encoding'] = enc;
  if (disp) out['content-disposition'] = disp;
  if (lang) out['content-language'] = lang;
  if (cache) out['cache-control'] = cache;
  if (expires) out.expires = expires;
  for (const [k, v] of Object.entries(o.metadata)) out[`x-amz-meta-${k}`] = v;
  if (opts.checksum && o.checksum) {
    out[headerOfAlgorithm(o.checksum.algorithm)] = o.checksum.value;
    out['x-amz-checksum-type'] = o.checksum.type;
  }
  return out;
}

/** `"abc"` and `abc` name the same ETag; `*` matches any. */
export function etagMatches(condition: string, etag: string): boolean {
  const bare = etag.replace(/"/g, '');
  return condition.split(',').some((c) => {
    const t = c.trim().replace(/^W\//, '').replace(/"/g, '');
    return t === '*' || t === bare;
  });
}
