import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** The same for Python: http.client, urllib.request and urllib3, as cfnresponse-style handlers and crhelper PUT. */
const PY_HANDLER = `import http.client, json, os, urllib.parse, urllib.request

def put_http_client(url, body):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPSConnection(u.hostname)
    conn.request('PUT', u.path + '?' + u.query, body=body, headers={'content-type': ''})
    return conn.getresponse().status

def put_urllib(url, body):
    req = urllib.request.Request(url, data=body.encode(), method='PUT', headers={'content-type': ''})
    with urllib.request.urlopen(req) as r:
        return r.status

def put_urllib3(url, body):
    # As Lambda's cfnresponse module does.
    import urllib3
    return urllib3.PoolManager().request('PUT', url, body=body, headers={'content-type': ''}).status

def handler(event, context):
    url = event['url']
    if event.get('urllib3'):
        return {'viaUrllib3': put_urllib3(url + '?by=urllib3', 'from urllib3')}
    return {
        'viaHttpClient': put_http_client(url + '?X-Amz-Signature=a', 'from http.client'),
        'viaUrllib': put_urllib(url + '?by=urllib', 'from urllib'),
        'endpoint': os.environ.get('AWS_ENDPOINT_URL'),
    }
`;

/**
 * Where a urllib3 package is on this machine (Lambda's Python runtimes ship one, with boto3), found by the host's
 * python3; the test bundles it into the function's code as a deployment package would. Undefined when none is.
 */
function urllib3Dir(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import os, urllib3; print(os.path.dirname(urllib3.__file__))'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
const URLLIB3 = urllib3Dir();

function start(awsEndpoint: string | undefined, python = false): LambdaRuntime {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-local-cloud-'));
  writeFileSync(join(dir, 'index.js'), HANDLER);
  writeFileSync(join(dir, 'index.py'), PY_HANDLER);
  if (URLLIB3 !== undefined) symlinkSync(URLLIB3, join(dir, 'urllib3'), 'dir');
  runtime = new LambdaRuntime({
    functions: [
      {
        logicalId: 'Fn',
        name: 'fn',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
        runtime: python ? 'python3.12' : 'nodejs20.x',
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

/** A local endpoint that records what reaches it. */
async function listen(): Promise<{ endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
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
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
interface Seen {
  method?: string;
  url?: string;
  host?: string;
  body: string;
}

const RESPONSE_HOST = 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com';

describe('the local cloud hook of the Node runtime', () => {
  it('sends https.request and fetch to *.amazonaws.com to the local endpoint over HTTP, path, query and Host kept', async () => {
    const { endpoint, seen } = await listen();
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

describe('the local cloud hook of the Python runtime', () => {
  it('sends http.client and urllib.request HTTPS to *.amazonaws.com to the local endpoint, path, query and Host kept', async () => {
    const { endpoint, seen } = await listen();
    const rt = start(endpoint, true);
    const r = await rt.invoke('fn', { url: `https://${RESPONSE_HOST}/response/abc` });
    if (!r.ok) throw new Error(`${r.errorType}: ${r.errorMessage}`);
    expect(r.payload).toEqual({ viaHttpClient: 200, viaUrllib: 200, endpoint });
    expect(seen).toEqual([
      {
        method: 'PUT',
        url: '/response/abc?X-Amz-Signature=a',
        host: RESPONSE_HOST,
        body: 'from http.client',
      },
      { method: 'PUT', url: '/response/abc?by=urllib', host: RESPONSE_HOST, body: 'from urllib' },
    ]);
  });

  it.runIf(URLLIB3 !== undefined)(
    'sends urllib3 HTTPS there too, patched when the handler imports it',
    async () => {
      const { endpoint, seen } = await listen();
      const rt = start(endpoint, true);
      const r = await rt.invoke(
        'fn',
        { url: `https://${RESPONSE_HOST}/response/abc`, urllib3: true },
        { tail: true },
      );
      if (!r.ok) throw new Error(`${r.errorType}: ${r.errorMessage}`);
      expect(r.payload).toEqual({ viaUrllib3: 200 });
      expect(seen).toEqual([
        { method: 'PUT', url: '/response/abc?by=urllib3', host: RESPONSE_HOST, body: 'from urllib3' },
      ]);
      // No "Unverified HTTPS request" warning in the function's output.
      expect(r.log ?? '').not.toContain('InsecureRequestWarning');
    },
  );

  it('is off without an endpoint: HTTPS goes where its URL says', async () => {
    const rt = start(undefined, true);
    const r = await rt.invoke('fn', { url: 'https://127.0.0.1:1/x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errorMessage).toMatch(/Connection refused/);
  });
});
