import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUrls, type IssuerMode } from '../../src/config/urls.js';
import { localPoolIssuers, type RunningGateway, startGateway } from '../../src/services/apigateway/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from './support/idp.js';
import { FakeInvoker } from './support/invoker.js';
import { api } from './support/topology.js';

// The issuer mapping `npm start` wires (src/cli.ts), driven through a running gateway: the keys are always found by
// discovery + JWKS over HTTP, never by asking the IdP in-process.
const silent = { info() {}, warn() {}, error() {} };
const POOL = 'pool'; // TestIdp serves its documents under /pool, so the "local pool" here is named after it.
const AWS_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;

let pool: TestIdp;
let other: TestIdp;
let gw: RunningGateway | undefined;
const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));

beforeAll(async () => {
  [pool, other] = await Promise.all([startTestIdp(), startTestIdp()]);
});
afterAll(async () => {
  await Promise.all([pool.close(), other.close()]);
});
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** A gateway whose one authorizer names `templateIssuer`, mapped as `npm start` maps it. */
async function gatewayFor(templateIssuer: string, issuerMode: IssuerMode = 'local'): Promise<string> {
  const urls = createUrls({
    region: 'us-east-1',
    issuerMode,
    idpOrigin: new URL(pool.issuer).origin,
    hostedUiOrigin: 'http://127.0.0.1:1',
    apiOrigin: 'http://127.0.0.1:1',
  });
  const invoker = new FakeInvoker();
  invoker.returns('person', { statusCode: 200, body: 'ok' });
  gw = await startGateway({
    apis: [api(templateIssuer)],
    invoker,
    clock,
    log: silent,
    region: 'us-east-1',
    accountId: '000000000000',
    resolveIssuer: localPoolIssuers(urls, [POOL]),
  });
  return `${gw.apis[0]?.url}/person`;
}

function claims(iss: string): JWTPayload {
  const now = Math.floor(clock.now() / 1000);
  return { sub: 'user-1', iss, client_id: 'client-app-1', token_use: 'access', iat: now, exp: now + 3600 };
}

async function status(url: string, token: string): Promise<number> {
  return (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;
}

describe('issuer mapping of npm start (localPoolIssuers through the gateway)', () => {
  it("checks tokens of the template's AWS issuer against the local pool's issuer and its discovered keys", async () => {
    const url = await gatewayFor(AWS_ISSUER);
    const before = pool.jwksFetches();
    expect(await status(url, await pool.sign(claims(pool.issuer)))).toBe(200);
    expect(pool.jwksFetches()).toBe(before + 1);
    // Locally the pool's tokens carry the local issuer, so the AWS form is not what they are checked against.
    expect(await status(url, await pool.sign(claims(AWS_ISSUER)))).toBe(401);
  });

  it('keeps the AWS issuer in aws issuer mode, still finding the keys by local discovery', async () => {
    const url = await gatewayFor(AWS_ISSUER, 'aws');
    expect(await status(url, await pool.sign(claims(AWS_ISSUER)))).toBe(200);
    expect(await status(url, await pool.sign(claims(pool.issuer)))).toBe(401);
  });

  it('accepts the local issuer itself written in the template', async () => {
    const url = await gatewayFor(pool.issuer);
    expect(await status(url, await pool.sign(claims(pool.issuer)))).toBe(200);
  });

  it('uses any other issuer as given, fetching its discovery document and JWKS over HTTP', async () => {
    const url = await gatewayFor(other.issuer);
    const before = other.jwksFetches();
    expect(await status(url, await other.sign(claims(other.issuer)))).toBe(200);
    expect(other.jwksFetches()).toBe(before + 1);
    // The local pool's key is not the other issuer's, even with the other issuer's iss and the same kid.
    expect(await status(url, await pool.sign(claims(other.issuer)))).toBe(401);
  });
});
