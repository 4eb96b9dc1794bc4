/**
 * Issue 10, finding 7: a request with `Content-Length: 1000` and a 2-byte body stayed open past 35 s on the Cognito
 * endpoint, trickled headers 70 s; the configured request timeout was never applied to the pre-built server. Every
 * listener is now made by the shared listen helper with the same limits. Small limits here; the test's own timeout
 * is the bound (nothing asserts how long anything took).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrls } from '../../src/config/index.js';
import { type RunningGateway, startGateway } from '../../src/services/apigateway/index.js';
import {
  type RunningHostedUi,
  startHostedUiServer,
} from '../../src/services/cognito-idp/hosted-ui/server.js';
import { type StartedIdp, startIdp } from '../../src/services/cognito-idp/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { checkListenerLimits, type ListenerLimits } from '../../src/shared/listen.js';
import { silentLogger } from '../../src/shared/logger.js';
import { FakeInvoker } from '../apigateway/support/invoker.js';
import { api } from '../apigateway/support/topology.js';
import { idleKeepAlive, slowBody, trickledHeaders } from './support/slowClients.js';

const limits: ListenerLimits = { requestTimeoutMs: 400, headersTimeoutMs: 300, keepAliveTimeoutMs: 200 };
/**
 * The bound on each close: far above the limits (Node adds up to a second of slack to keep-alive and checks
 * deadlines on an interval), far below Node's defaults (5 s keep-alive, 60 s headers, 300 s request).
 */
const BOUND_MS = 4500;

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-timeouts-'));
let idp: StartedIdp;
let ui: RunningHostedUi;
let gateway: RunningGateway;
const origins: Record<string, string> = {};

beforeAll(async () => {
  idp = await startIdp({ dataDir, region: 'us-east-1', issuerMode: 'local', limits, srpWorkers: 0 });
  ui = await startHostedUiServer({
    service: idp.service,
    urls: createUrls({
      region: 'us-east-1',
      issuerMode: 'local',
      idpOrigin: idp.url,
      hostedUiOrigin: idp.url,
      apiOrigin: idp.url,
    }),
    clock: systemClock,
    log: silentLogger,
    limits,
    purgeEveryMs: 0,
  });
  gateway = await startGateway({
    apis: [api('http://127.0.0.1:1/pool')],
    invoker: new FakeInvoker(),
    clock: systemClock,
    log: silentLogger,
    region: 'us-east-1',
    accountId: '000000000000',
    limits,
  });
  origins['Cognito API'] = idp.url;
  origins['Hosted UI'] = ui.url;
  origins['HTTP API'] = gateway.url;
});
afterAll(async () => {
  await gateway?.close();
  await ui?.close();
  await idp?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each(['Cognito API', 'Hosted UI', 'HTTP API'])('%s listener time limits', (name) => {
  it(
    'closes a request whose body stops after 2 of 1000 declared bytes',
    async () => {
      const closed = await slowBody(origins[name] as string);
      // Node's answer when a request runs out of time (or nothing, if the server answered before the body).
      expect(closed.answer === '' || /^HTTP\/1\.1 (408|4\d\d) /.test(closed.answer)).toBe(true);
    },
    BOUND_MS,
  );

  it(
    'closes a connection whose headers trickle in a byte at a time',
    async () => {
      const closed = await trickledHeaders(origins[name] as string);
      expect(closed.answer === '' || closed.answer.startsWith('HTTP/1.1 408 ')).toBe(true);
    },
    BOUND_MS,
  );

  it(
    'closes an idle keep-alive connection after answering',
    async () => {
      const closed = await idleKeepAlive(origins[name] as string);
      expect(closed.answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    },
    BOUND_MS,
  );
});

describe('listener limits', () => {
  it('refuses limits that make no sense, naming the field', () => {
    expect(() => checkListenerLimits({ ...limits, requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
    expect(() => checkListenerLimits({ ...limits, headersTimeoutMs: 1000 })).toThrow(/headersTimeoutMs/);
  });
});
