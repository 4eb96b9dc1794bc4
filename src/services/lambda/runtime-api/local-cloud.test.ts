import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger.js';
import { LambdaRuntime } from '../runtime.js';

/** A function that sends HTTPS to AWS hosts the ways handlers do, and reports its environment. */
const HANDLER = `const https = require('node:https');
const put = (url, body) => new Promise((resolve, reject) => {
  const u = new URL(url);
  const req = https.request({ hostname: u.hostname, path: u.pathname + u.search, method: 'PUT',
    headers: { 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); resolve(res.statusCode); });
  req.on('error', reject);
  req.end(body);
});
exports.handler = async (event) => {
  const viaRequest = await put(event.url + '?X-Amz-Signature=a', 'from https.request');
  const viaFetch = (await fetch(event.url + '?by=fetch', { method: 'PUT', body: 'from fetch' })).status;
  let sdk = 'missing';
  try { sdk = typeof require('@aws-sdk/client-s3').S3Client; } catch {}
  let other = 'missing';
  try { require.resolve('zod'); other = 'found'; } catch {}
  const e = process.env;
  return { viaRequest, viaFetch, sdk, other, endpoint: e.AWS_ENDPOINT_URL, key: e.AWS_ACCESS_KEY_ID,
    secret: Boolean(e.AWS_SECRET_ACCESS_KEY), token: Boolean(e.AWS_SESSION_TOKEN) };
};`;

let dir: string | undefined;
let server: Server | undefined;
let runtime: LambdaRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
  runtime = undefined;
  server = undefined;
  dir = undefined;
});

function start(awsEndpoint: string | undefined): LambdaRuntime {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-local-cloud-'));
  writeFileSync(join(dir, 'index.js'), HANDLER);
  runtime = new LambdaRuntime({
    functions: [
      {
        logicalId: 'Fn',
        name: 'fn',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        codeDir: dir,
        environment: {},
        timeout: 10,
        memorySize: 256,
      },
    ],
    log: silentLogger,
    region: 'us-east-1',
    accountId: '000000000000',
    consoleSink: () => {},
    ...(awsEndpoint !== undefined ? { awsEndpoint } : {}),
  });
  return runtime;
}

describe('the local cloud hook of the Node runtime', () => {
  it('sends https.request and fetch to *.amazonaws.com to the local endpoint over HTTP, path, query and Host kept', async () => {
    const seen: { method?: string; url?: string; host?: string; body: string }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, host: req.headers.host, body });
        res.end();
      });
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rt = start(endpoint);
    const url = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/response/abc';
    const r = await rt.invoke('fn', { url });
    if (!r.ok) throw new Error(`${r.errorType}: ${r.errorMessage}`);
    expect(r.payload).toEqual({
      viaRequest: 200,
      viaFetch: 200,
      // The runtime's SDK, and nothing else of the local cloud's own dependencies.
      sdk: 'function',
      other: 'missing',
      endpoint,
      key: 'local-function-role',
      secret: true,
      token: true,
    });
    expect(seen).toEqual([
      {
        method: 'PUT',
        url: '/response/abc?X-Amz-Signature=a',
        host: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com',
        body: 'from https.request',
      },
      expect.objectContaining({ method: 'PUT', url: '/response/abc?by=fetch', body: 'from fetch' }),
    ]);
  });

  it('is off without an endpoint: HTTPS goes where its URL says', async () => {
    const rt = start(undefined);
    // An unreachable HTTPS host (port 1 on loopback) fails as HTTPS would, not through any local endpoint.
    const r = await rt.invoke('fn', { url: 'https://127.0.0.1:1/x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorMessage).toMatch(/ECONNREFUSED|fetch failed/);
  });
});
