import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from './httpGet.js';

describe('httpGet', () => {
  let server: Server;
  let base: string;
  const seen: Record<string, string | undefined>[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ accept: req.headers.accept });
      if (req.url === '/json') res.end('{"keys":[]}');
      else if (req.url === '/moved') res.writeHead(302, { location: '/json' }).end();
      else if (req.url === '/big') res.end('x'.repeat(5000));
      else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setImmediate(() => res.socket?.destroy());
      } else if (req.url === '/silent') {
        // never answers
      } else res.writeHead(404).end('no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const opts = { timeoutMs: 5000, maxBytes: 1000 };

  it('returns the status and the whole body, with the given headers', async () => {
    const r = await httpGet(`${base}/json`, { ...opts, headers: { accept: 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('{"keys":[]}');
    expect(seen.at(-1)).toEqual({ accept: 'application/json' });
  });

  it('returns a redirect as it came, without following it', async () => {
    expect((await httpGet(`${base}/moved`, opts)).status).toBe(302);
    expect((await httpGet(`${base}/other`, opts)).status).toBe(404);
  });

  it('refuses a body over the limit', async () => {
    await expect(httpGet(`${base}/big`, opts)).rejects.toThrow('answered more than 1000 bytes');
  });

  it('refuses an answer cut short', async () => {
    await expect(httpGet(`${base}/cut`, opts)).rejects.toThrow();
  });

  it('gives up after the timeout', async () => {
    await expect(httpGet(`${base}/silent`, { ...opts, timeoutMs: 50 })).rejects.toThrow(/abort|timeout/i);
  });

  it('refuses other schemes and unreachable servers', async () => {
    await expect(httpGet('ftp://127.0.0.1/x', opts)).rejects.toThrow('not an http(s) URL');
    await expect(httpGet('http://127.0.0.1:9/x', opts)).rejects.toThrow();
  });
});
