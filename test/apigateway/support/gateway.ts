import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ApiGatewayV2Event } from '../../../src/services/apigateway/event.js';
import {
  type AccessLogEntry,
  type RunningGateway,
  startGateway,
} from '../../../src/services/apigateway/index.js';
import type { HttpApiSpec } from '../../../src/services/cloudformation/types.js';
import { FakeClock } from '../../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from './idp.js';
import { FakeInvoker } from './invoker.js';
import { api } from './topology.js';

// The gateway the server-*.test.ts files share: exported bindings are live, so tests see each restart.
export const silent = { info() {}, warn() {}, error() {} };
export let errorLog: { obj: object; msg: string | undefined }[] = [];
const log = {
  ...silent,
  error(obj: object, msg?: string) {
    errorLog.push({ obj, msg });
  },
};

export let idp: TestIdp;
export let clock: FakeClock;
export let invoker: FakeInvoker;
export let gw: RunningGateway;
export let accessLog: AccessLogEntry[];
export let base: string;

/** Starts the IdP for the file and a fresh gateway for each test; call once at the top of a test file. */
export function useGateway(): void {
  beforeAll(async () => {
    idp = await startTestIdp();
  });
  afterAll(async () => {
    await idp.close();
  });
  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await gw.close();
  });
}

export async function start(spec: HttpApiSpec = api(idp.issuer)) {
  clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  invoker = new FakeInvoker();
  invoker.returns('person', (e: unknown) => {
    const event = e as ApiGatewayV2Event;
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
      body: JSON.stringify({
        message: `${event.requestContext.http.method} ok`,
        sub: event.requestContext.authorizer?.jwt.claims.sub,
      }),
    };
  });
  accessLog = [];
  errorLog = [];
  let n = 0;
  gw = await startGateway({
    apis: [spec],
    invoker,
    clock,
    log,
    region: 'us-east-1',
    accountId: '000000000000',
    resolveIssuer: (issuer) => ({ issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` }),
    accessLogSink: (e) => accessLog.push(e),
    requestIds: () => `req-${++n}`,
  });
  base = gw.apis[0]?.url as string;
}

export function token(over: JWTPayload = {}) {
  const now = Math.floor(clock.now() / 1000);
  return idp.sign({
    sub: 'user-1',
    iss: idp.issuer,
    client_id: 'client-app-1',
    token_use: 'access',
    scope: 'api/read',
    iat: now,
    exp: now + 3600,
    ...over,
  });
}

export const lastEvent = () => invoker.calls.at(-1)?.event as ApiGatewayV2Event;

export function rawHttp(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, method, path: `${u.pathname}${path}`, headers },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}
