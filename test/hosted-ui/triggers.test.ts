import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import { LambdaRuntime } from '../../src/services/lambda/index.js';
import { FakeClock } from '../../src/shared/clock.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION } from '../lambda/helpers.js';
import { latestCode } from './chromium.js';
import { CALLBACK, callbackParams, FormBrowser, type HostedUiCloud, PASSWORD } from './helpers.js';
import * as pools from './stepPools.js';

const POOL = 'us-east-1_TrigPool001';
const CLIENT = 'trigclient0000000000000000';
const PHONE = '+15555550111';

/** Every function appends the event it got to $EVENT_LOG, so the test reads what Cognito sent. */
const RECORD = `const fs = require('node:fs');
const record = (event) => fs.appendFileSync(process.env.EVENT_LOG, JSON.stringify(event) + '\\n');`;

const PRE = `${RECORD}
exports.handler = async (event) => {
  record(event);
  if (event.request.userAttributes.email === 'blocked@example.com') throw new Error('no sign-ins today');
  return event;
};`;

const POST = `${RECORD}
exports.handler = async (event) => {
  record(event);
  if (event.request.userAttributes.email === 'audit@example.com') throw new Error('audit log is down');
  return event;
};`;

const MIGRATE = `${RECORD}
exports.handler = async (event) => {
  record(event);
  if (event.userName === 'legacy@example.com' && event.request.password === 'Legacy-Pass1') {
    event.response.userAttributes = { email: event.userName, email_verified: 'true' };
    event.response.finalUserStatus = 'CONFIRMED';
    event.response.messageAction = 'SUPPRESS';
    return event;
  }
  throw new Error('User not found');
};`;

const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const triggers = {
  PreAuthentication: arn('pre'),
  PostAuthentication: arn('post'),
  UserMigration: arn('migrate'),
};

/** Email as username, a public code-flow client that hides whether users exist, and the three triggers. */
function triggerPool(): UserPoolSpec {
  return {
    logicalId: 'TrigPool',
    id: POOL,
    name: 'Trigger pool',
    properties: { UserPoolName: 'Trigger pool', UsernameAttributes: ['email'] },
    triggers,
    clients: [
      {
        logicalId: 'TrigClient',
        id: CLIENT,
        properties: {
          ClientName: 'Trigger app',
          AllowedOAuthFlows: ['code'],
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: ['COGNITO'],
          PreventUserExistenceErrors: 'ENABLED',
        },
      },
    ],
    // The Hosted UI serves a pool only while it has a domain.
    domain: { logicalId: 'TrigDomain', prefix: 'trigger-pool' },
    groups: [],
    resourceServers: [],
  };
}

/**
 * The Hosted UI runs the pool's PreAuthentication, PostAuthentication and UserMigration triggers as the API's sign-ins
 * do, with real functions in the local Lambda runtime: over HTTP, posting the forms with their CSRF field.
 */
describe('Hosted UI sign-ins run the Lambda triggers', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  let cloud: HostedUiCloud;
  let runtime: LambdaRuntime;
  let logDir: string;

  const events = async (source: string): Promise<Record<string, unknown>[]> => {
    const text = await readFile(join(logDir, 'events.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.triggerSource === source);
  };
  const usernameOf = (poolId: string, email: string) =>
    cloud.idp.service.findUser(cloud.idp.service.pool(poolId), email)?.username;
  const postsFor = async (poolId: string, email: string) =>
    (await events('PostAuthentication_Authentication')).filter(
      (e) => e.userName === usernameOf(poolId, email),
    );

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'gatehouse-hosted-triggers-'));
    const environment = { EVENT_LOG: join(logDir, 'events.jsonl') };
    runtime = new LambdaRuntime({
      functions: [
        fn('pre', codeDir({ 'index.js': PRE }), { environment }),
        fn('post', codeDir({ 'index.js': POST }), { environment }),
        fn('migrate', codeDir({ 'index.js': MIGRATE }), { environment }),
      ],
      log: memoryLogger(),
      region: REGION,
      accountId: ACCOUNT,
      consoleSink: () => {},
    });
    const phone = { phone_number: PHONE, phone_number_verified: 'true' };
    cloud = await pools.startStepCloud({
      clock,
      invoker: runtime,
      triggers,
      otherPools: [triggerPool()],
      localhost: false,
      users: [
        [POOL, 'pat@example.com', phone],
        [POOL, 'blocked@example.com', phone],
        [POOL, 'audit@example.com', phone],
        [pools.MFA_POOL_ID, 'mfa@example.com', phone],
        [pools.PWLESS_POOL_ID, 'code@example.com', phone],
      ],
    });
  });
  afterAll(async () => {
    try {
      await cloud?.stop();
    } finally {
      await runtime?.close();
      cleanup();
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('runs PreAuthentication before the password, and PostAuthentication once after a password sign-in', async () => {
    const browser = new FormBrowser(cloud.base);
    const done = await browser.signIn(pools.authorizeFor(CLIENT), 'pat@example.com', PASSWORD);
    expect(done.status).toBe(302);
    expect(callbackParams(done).get('code')).toBeTruthy();
    const pre = (await events('PreAuthentication_Authentication')).filter(
      (e) => e.userName === usernameOf(POOL, 'pat@example.com'),
    );
    expect(pre).toHaveLength(1);
    expect(pre[0]).toMatchObject({ userPoolId: POOL, callerContext: { clientId: CLIENT } });
    const post = await postsFor(POOL, 'pat@example.com');
    expect(post).toHaveLength(1);
    expect(post[0]).toMatchObject({
      userPoolId: POOL,
      callerContext: { clientId: CLIENT },
      request: { userAttributes: { email: 'pat@example.com' }, newDeviceUsed: false },
    });
  });

  it("shows a PreAuthentication refusal on the login page in Cognito's words, and signs nobody in", async () => {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(pools.authorizeFor(CLIENT), 'blocked@example.com', PASSWORD);
    expect(res.status).toBe(400);
    expect(browser.lastHtml).toContain('PreAuthentication failed with error no sign-ins today.');
    expect(await postsFor(POOL, 'blocked@example.com')).toHaveLength(0);
    // The refusal came before the password check: a wrong password gets the same answer.
    await browser.signIn(pools.authorizeFor(CLIENT), 'blocked@example.com', 'Wrong-Pass-1');
    expect(browser.lastHtml).toContain('PreAuthentication failed with error no sign-ins today.');
  });

  it('refuses the sign-in when PostAuthentication fails: its message on the page, no redirect, no session', async () => {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(pools.authorizeFor(CLIENT), 'audit@example.com', PASSWORD);
    expect(res.status).toBe(400);
    expect(browser.lastHtml).toContain('PostAuthentication failed with error audit log is down.');
    expect(await postsFor(POOL, 'audit@example.com')).toHaveLength(1);
    // Not signed in: the login page is shown again rather than a redirect to the client.
    const again = await browser.follow(pools.authorizeFor(CLIENT));
    expect(again.status).toBe(200);
    expect(browser.lastHtml).toContain('name="password"');
  });

  it('runs PostAuthentication once after the MFA code, not after the password alone', async () => {
    const browser = new FormBrowser(cloud.base);
    const res = await browser.signIn(pools.authorizeFor(pools.MFA_CLIENT), 'mfa@example.com', PASSWORD);
    expect(new URL(res.headers.get('location') ?? '', cloud.base).pathname).toBe('/mfa');
    await browser.get(res.headers.get('location') ?? '');
    expect(await postsFor(pools.MFA_POOL_ID, 'mfa@example.com')).toHaveLength(0);
    const done = await browser.submit({ code: await latestCode(cloud.idp.urls.inboxUrl, PHONE, 6) });
    expect(done.status).toBe(302);
    expect(callbackParams(done).get('code')).toBeTruthy();
    const post = await postsFor(pools.MFA_POOL_ID, 'mfa@example.com');
    expect(post).toHaveLength(1);
    expect(post[0]).toMatchObject({
      userPoolId: pools.MFA_POOL_ID,
      callerContext: { clientId: pools.MFA_CLIENT },
    });
  });

  it('runs PreAuthentication and PostAuthentication around an emailed sign-in code (managed login)', async () => {
    const browser = new FormBrowser(cloud.base);
    await browser.follow(pools.authorizeFor(pools.PWLESS_CLIENT));
    const chooser = await browser.submit({ username: 'code@example.com' });
    expect(new URL(chooser.headers.get('location') ?? '', cloud.base).pathname).toBe('/selectChallenge');
    await browser.get(chooser.headers.get('location') ?? '');
    const step = await browser.submit({ answer: 'EMAIL_OTP' });
    expect(new URL(step.headers.get('location') ?? '', cloud.base).pathname).toBe('/mfa');
    await browser.get(step.headers.get('location') ?? '');
    const pre = (await events('PreAuthentication_Authentication')).filter(
      (e) => e.userName === usernameOf(pools.PWLESS_POOL_ID, 'code@example.com'),
    );
    expect(pre).toHaveLength(1);
    const done = await browser.submit({
      code: await latestCode(cloud.idp.urls.inboxUrl, 'code@example.com', 8),
    });
    expect(done.status).toBe(302);
    expect(await postsFor(pools.PWLESS_POOL_ID, 'code@example.com')).toHaveLength(1);
  });

  it('migrates an unknown user at /login with the UserMigration trigger, who then exists and signs in as usual', async () => {
    expect(usernameOf(POOL, 'legacy@example.com')).toBeUndefined();
    const browser = new FormBrowser(cloud.base);
    const done = await browser.signIn(pools.authorizeFor(CLIENT), 'legacy@example.com', 'Legacy-Pass1');
    expect(done.status).toBe(302);
    expect(callbackParams(done).get('code')).toBeTruthy();
    const [migration, ...more] = await events('UserMigration_Authentication');
    expect(more).toHaveLength(0);
    expect(migration).toMatchObject({
      userName: 'legacy@example.com',
      callerContext: { clientId: CLIENT },
      request: { password: 'Legacy-Pass1' },
    });
    const user = cloud.idp.service.findUser(cloud.idp.service.pool(POOL), 'legacy@example.com');
    expect(user?.status).toBe('CONFIRMED');
    expect(await postsFor(POOL, 'legacy@example.com')).toHaveLength(1);

    // An unknown user the function does not vouch for gets the generic answer (PreventUserExistenceErrors).
    const stranger = new FormBrowser(cloud.base);
    const res = await stranger.signIn(pools.authorizeFor(CLIENT), 'nobody@example.com', 'Some-Pass-1');
    expect(res.status).toBe(400);
    expect(stranger.lastHtml).toContain('Incorrect username or password.');
  });
});
