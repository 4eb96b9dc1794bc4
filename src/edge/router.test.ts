import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsService } from '../protocols/index.js';
import { createEdge } from './router.js';

const silent = { info: () => {}, error: () => {} };

/** A service that answers which service got the request, and what the edge told it. */
const probe = (name: string, extra: Partial<AwsService> = {}): AwsService => ({
  name,
  signingNames: [name],
  ...extra,
  handle: async (_req, res, ctx) => {
    res.end(JSON.stringify({ name, scope: ctx.scope?.service, bucket: ctx.virtualHostBucket }));
  },
});

describe('the edge (one AWS endpoint)', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const edge = createEdge({
      log: silent,
      services: [
        probe('logs', { targetPrefixes: ['Logs_20140328'] }),
        probe('sts'),
        probe('s3', { virtualHosts: true }),
      ],
      fallback: (_req, res) => res.end(JSON.stringify({ name: 'fallback' })),
    });
    server = createServer(edge.listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const auth = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

  it('routes JSON calls by the X-Amz-Target prefix', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents' },
    });
    expect(await res.json()).toMatchObject({ name: 'logs' });
  });

  it('routes other calls by the service in the SigV4 credential scope, header or presigned query', async () => {
    const res = await fetch(url, { method: 'POST', headers: { authorization: auth('sts') } });
    expect(await res.json()).toEqual({ name: 'sts', scope: 'sts' });
    const q = new URLSearchParams({ 'X-Amz-Credential': 'AKID/20260101/us-east-1/s3/aws4_request' });
    const presigned = await fetch(`${url}/bucket/key?${q}`);
    expect(await presigned.json()).toEqual({ name: 's3', scope: 's3' });
  });

  it('routes <bucket>.localhost to the virtual-hosted service', async () => {
    // fetch may not set Host; node:http may.
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${url}/key`, { headers: { host: 'my-bucket.localhost' } }, (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve(data));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ name: 's3', bucket: 'my-bucket' });
  });

  it('answers unknown targets and services with AWS error shapes, not a 404 page', async () => {
    const json = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-type': 'application/x-amz-json-1.0' },
    });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(json.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await json.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const xml = await fetch(url, { method: 'POST', headers: { authorization: auth('ec2') } });
    expect(xml.status).toBe(400);
    expect(xml.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
    const text = await xml.text();
    expect(text).toContain('<ErrorResponse><Error><Type>Sender</Type><Code>UnknownServiceException</Code>');
    expect(text).toContain('The AWS service ec2 is not served by this local cloud');
  });

  it('hands everything else to the fallback', async () => {
    expect(await (await fetch(`${url}/pool/.well-known/jwks.json`)).json()).toEqual({ name: 'fallback' });
  });

  it('refuses a second service claiming a prefix or signing name', () => {
    const edge = createEdge({ log: silent, services: [probe('sts')] });
    expect(() => edge.register(probe('sts'))).toThrow(/already served/);
  });
});
