import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint, type TestEndpoint } from '../helpers/aws-endpoint.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

/** A raw HTTP request (node:http, so Host, Expect and framing are exactly as given). */
function raw(
  url: string,
  o: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    expect100?: boolean;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${o.path}`,
      { method: o.method ?? 'GET', headers: { authorization: AUTH, ...o.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (o.expect100) {
      req.on('continue', () => req.end(o.body));
      req.flushHeaders();
    } else req.end(o.body);
  });
}

const md5b64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');

describe('S3 on the wire: S3 error shapes, framing and addressing', () => {
  let ep: TestEndpoint;
  beforeAll(async () => {
    ep = await startAwsEndpoint({ buckets: ['wire'] });
  });
  afterAll(async () => ep?.stop());

  const expectError = (r: Reply, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.headers['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(r.headers['x-amz-id-2']).toBeTruthy();
    expect(r.body).toContain(`<Error><Code>${code}</Code>`);
    expect(r.body).toContain(`<RequestId>${r.headers['x-amz-request-id']}</RequestId>`);
    expect(r.body).not.toMatch(/at .*\.ts:\d+/);
  };

  it('waits for the body after Expect: 100-continue', async () => {
    const put = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/continued',
      headers: { expect: '100-continue', 'content-length': '5' },
      body: 'hello',
      expect100: true,
    });
    expect(put.status).toBe(200);
    expect((await raw(ep.url, { path: '/wire/continued' })).body).toBe('hello');
  });

  it('verifies Content-MD5 and the signed payload hash', async () => {
    const md5 = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/m',
      headers: { 'content-md5': md5b64('other') },
      body: 'payload',
    });
    expectError(md5, 400, 'BadDigest');
    const sha = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/s',
      headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') },
      body: 'payload',
    });
    expectError(sha, 400, 'XAmzContentSHA256Mismatch');
    const good = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/s',
      headers: {
        'x-amz-content-sha256': createHash('sha256').update('payload').digest('hex'),
        'content-md5': md5b64('payload'),
      },
      body: 'payload',
    });
    expect(good.status).toBe(200);
  });

  it('decodes signed aws-chunked bodies and refuses broken framing without storing anything', async () => {
    const sig = `;chunk-signature=${'0'.repeat(64)}`;
    const body = `5${sig}\r\nhello\r\n6${sig}\r\n world\r\n0${sig}\r\n\r\n`;
    const ok = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/chunked',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-decoded-content-length': '11',
      },
      body,
    });
    expect(ok.status).toBe(200);
    expect((await raw(ep.url, { path: '/wire/chunked' })).body).toBe('hello world');
    const broken = await raw(ep.url, {
      method: 'PUT',
      path: '/wire/broken',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '11' },
      body: 'zz\r\nhello',
    });
    expectError(broken, 400, 'IncompleteBody');
    expectError(await raw(ep.url, { path: '/wire/broken' }), 404, 'NoSuchKey');
    expect(readdirSync(join(ep.dataDir, 's3', 'tmp'))).toEqual([]);
  });

  it('answers malformed XML, unknown sub-resources and bad arguments with S3 codes', async () => {
    const bad = '<Delete><Object><Key>x</Key></Object';
    expectError(
      await raw(ep.url, {
        method: 'POST',
        path: '/wire?delete',
        headers: { 'content-md5': md5b64(bad) },
        body: bad,
      }),
      400,
      'MalformedXML',
    );
    const noMd5 = '<Delete><Object><Key>x</Key></Object></Delete>';
    expectError(
      await raw(ep.url, { method: 'POST', path: '/wire?delete', body: noMd5 }),
      400,
      'InvalidRequest',
    );
    expectError(await raw(ep.url, { path: '/wire?analytics' }), 501, 'NotImplemented');
    expectError(await raw(ep.url, { path: '/wire?list-type=2&max-keys=ten' }), 400, 'InvalidArgument');
    expectError(
      await raw(ep.url, { path: '/wire?list-type=2&continuation-token=%%%' }),
      400,
      'InvalidArgument',
    );
    expectError(await raw(ep.url, { path: '/nope/key' }), 404, 'NoSuchBucket');
    const head = await raw(ep.url, { method: 'HEAD', path: '/wire/missing' });
    expect(head.status).toBe(404);
    expect(head.body).toBe('');
  });

  it('serves virtual-hosted style on <bucket>.localhost', async () => {
    const put = await raw(ep.url, {
      method: 'PUT',
      path: '/vh/key.txt',
      headers: { host: 'wire.localhost' },
      body: 'virtual',
    });
    expect(put.status).toBe(200);
    expect((await raw(ep.url, { path: '/wire/vh/key.txt' })).body).toBe('virtual');
    const unsigned = await new Promise<Reply>((resolve, reject) => {
      const req = request(`${ep.url}/vh/key.txt`, { headers: { host: 'wire.localhost' } }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(unsigned.body).toBe('virtual');
  });

  it('never shows an upload cut off mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${ep.url}/wire/cut`, {
        method: 'PUT',
        headers: { authorization: AUTH, 'content-length': '1000000' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100_000));
      setImmediate(() => {
        req.destroy();
        resolve();
      });
    });
    // The server sees the request, then the reset, asynchronously: give it a moment to start writing, then wait
    // (bounded) until it has thrown the partial file away. Whatever it got, the key is absent.
    const temps = () => readdirSync(join(ep.dataDir, 's3', 'tmp'));
    for (let i = 0; i < 10 && temps().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 250 && temps().length; i++) await new Promise((r) => setTimeout(r, 20));
    expectError(await raw(ep.url, { path: '/wire/cut' }), 404, 'NoSuchKey');
    expect(readdirSync(join(ep.dataDir, 's3', 'tmp'))).toEqual([]);
  });
});
