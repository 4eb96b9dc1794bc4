import { type IncomingMessage, request } from 'node:http';

export interface HttpGetOptions {
  /** The whole exchange, connection included, must end within this. */
  timeoutMs: number;
  /** A body longer than this is refused (the download stops there). */
  maxBytes: number;
  headers?: Record<string, string>;
}

/**
 * GETs `url` (http or https) with node:http(s): the status and the whole body. Redirects are not followed (a 3xx is
 * returned as it came). The local cloud's own small lookups (OIDC discovery, JWKS) go through this rather than
 * `fetch`: the first `fetch` in a process loads undici and compiles its WebAssembly HTTP parser, about 14 MB of
 * resident memory for a couple of GETs.
 */
export async function httpGet(url: string, o: HttpGetOptions): Promise<{ status: number; body: Buffer }> {
  const target = new URL(url);
  const send =
    target.protocol === 'https:'
      ? (await import('node:https')).request
      : target.protocol === 'http:'
        ? request
        : undefined;
  if (!send) throw new Error(`not an http(s) URL: ${url}`);
  const signal = AbortSignal.timeout(o.timeoutMs);
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'GET', headers: o.headers ?? {}, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > o.maxBytes) {
          reject(new Error(`GET ${url} answered more than ${o.maxBytes} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error(`GET ${url}: the answer was cut short`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}
