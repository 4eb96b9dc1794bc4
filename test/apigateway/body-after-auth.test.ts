/**
 * Issue 10, finding 10: the gateway read 10 MB bodies before the authorizer ran; 30 unauthenticated 10 MB requests
 * took the process from 105 MB to 758 MB. Now authorization comes first and a refused body is never read.
 */
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from '../../src/services/apigateway/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startTestIdp, type TestIdp } from './support/idp.js';
import { FakeInvoker } from './support/invoker.js';
import { api } from './support/topology.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const TEN_MB = 10 * 1024 * 1024;

let idp: TestIdp;
let gw: RunningGateway;
let invoker: FakeInvoker;
let port: number;

beforeAll(async () => {
  idp = await startTestIdp();
  invoker = new FakeInvoker();
  invoker.returns('person', () => ({ statusCode: 200, body: 'ok' }));
  gw = await startGateway({
    apis: [api(idp.issuer)],
    invoker,
    clock: new FakeClock(Date.UTC(2026, 0, 1, 12)),
    log: silentLogger,
    region: 'us-east-1',
    accountId: '000000000000',
    resolveIssuer: (issuer) => ({ issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` }),
  });
  port = Number(new URL(gw.url).port);
});
afterAll(async () => {
  await gw.close();
  await idp.close();
});

/**
 * POSTs `declared` bytes to /person with a bad token, writing the body 64 KiB at a time as the socket takes it
 * (so the client itself holds almost nothing), up to `send` bytes. Resolves with the status line once one arrives.
 */
function postUnauthorized(declared: number, send: number): Promise<{ status: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let answer = '';
    let settled = false;
    const pump = () => {
      while (!settled && sent < send && !socket.destroyed) {
        const n = Math.min(chunk.length, send - sent);
        sent += n;
        if (!socket.write(chunk.subarray(0, n))) return;
      }
    };
    socket.on('connect', () => {
      socket.write(
        `POST /serverless_lambda_stage/person HTTP/1.1\r\nhost: x\r\nauthorization: Bearer not-a-token\r\ncontent-length: ${declared}\r\n\r\n`,
      );
      pump();
    });
    socket.on('drain', pump);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const line = answer.split('\r\n')[0];
      if (!settled && line && answer.includes('\r\n')) {
        settled = true;
        socket.destroy();
        resolve({ status: line, sent });
      }
    });
    // Writing into a connection the gateway closed after answering is expected; only a missing answer fails.
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!settled) reject(new Error(`connection closed without an answer after ${sent} bytes`));
    });
  });
}

describe('gateway: authorization before the body (issue 10, finding 10)', () => {
  it('answers 401 to a bad token while the declared body has not arrived', async () => {
    // 1 KiB of a declared ~10 MB: the old gateway waited for the rest before it ran the authorizer.
    const r = await postUnauthorized(TEN_MB - 1, 1024);
    expect(r.status).toBe('HTTP/1.1 401 Unauthorized');
    expect(invoker.calls).toHaveLength(0);
  }, 10_000);

  it('buffers no body bytes for a burst of 30 unauthenticated 10 MB requests, and memory stays near baseline', async () => {
    gc();
    const before = process.memoryUsage();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => postUnauthorized(TEN_MB - 1, TEN_MB - 1)),
    );
    for (const r of results) expect(r.status).toBe('HTTP/1.1 401 Unauthorized');
    // The gateway never held a byte of these bodies (the old one held up to 30 x 10 MB at once).
    expect(gw.bodyBytes()).toEqual({ buffered: 0, peak: 0 });
    gc();
    const after = process.memoryUsage();
    const deltaMb = (after.rss - before.rss) / 2 ** 20;
    const buffersMb = (after.arrayBuffers - before.arrayBuffers) / 2 ** 20;
    // Bounds, not timings: the old gateway grew RSS by hundreds of MB on this burst.
    expect(buffersMb).toBeLessThan(16);
    expect(deltaMb).toBeLessThan(64);
    expect(invoker.calls).toHaveLength(0);
  }, 60_000);

  it('counts the bytes of an authorized body while reading it, and releases them after', async () => {
    const token = await idp.sign({
      sub: 'u',
      iss: idp.issuer,
      client_id: 'client-app-1',
      token_use: 'access',
      scope: 'api/read',
      iat: Math.floor(Date.UTC(2026, 0, 1, 12) / 1000),
      exp: Math.floor(Date.UTC(2026, 0, 1, 13) / 1000),
    });
    const res = await fetch(`${gw.apis[0]?.url}/person`, {
      method: 'POST',
      headers: { authorization: token },
      body: 'x'.repeat(100_000),
    });
    expect(res.status).toBe(200);
    expect(gw.bodyBytes().buffered).toBe(0);
    expect(gw.bodyBytes().peak).toBeGreaterThanOrEqual(100_000);
  });
});
