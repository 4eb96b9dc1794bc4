import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LambdaRuntime } from '../../../src/services/lambda/index.js';
import { AdjustableClock } from '../../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from '../../helpers/idp.js';
import { ACCOUNT, cleanup, codeDir, fn, memoryLogger, REGION } from '../../lambda/helpers.js';

/** Every function appends the event it got to $EVENT_LOG (one JSON line each), so a test can read the real shapes. */
const RECORD = `const fs = require('node:fs');
const record = (event) => fs.appendFileSync(process.env.EVENT_LOG, JSON.stringify(event) + '\\n');`;

/**
 * Define: SRP first when asked (SRP_A → PASSWORD_VERIFIER), then two questions (Q1, Q2); three wrong answers fail
 * the sign-in. ClientMetadata drives the misbehaving cases: mode=fail, mode=throw, mode=loop (never ends),
 * mode=tokens (tokens at once).
 */
const DEFINE = `${RECORD}
exports.handler = async (event) => {
  record(event);
  const mode = (event.request.clientMetadata || {}).mode;
  if (mode === 'throw') throw new Error('define is broken');
  const s = event.request.session;
  const last = s[s.length - 1];
  const custom = s.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE');
  if (mode === 'fail') event.response.failAuthentication = true;
  else if (mode === 'tokens') event.response.issueTokens = true;
  else if (last && last.challengeName === 'SRP_A') event.response.challengeName = 'PASSWORD_VERIFIER';
  else if (mode === 'loop') event.response.challengeName = 'CUSTOM_CHALLENGE';
  else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult && last.challengeMetadata === 'Q2')
    event.response.issueTokens = true;
  else if (custom.filter((r) => !r.challengeResult).length >= 3) event.response.failAuthentication = true;
  else event.response.challengeName = 'CUSTOM_CHALLENGE';
  return event;
};`;

const CREATE = `${RECORD}
exports.handler = (event, context, callback) => {
  record(event);
  const passedQ1 = event.request.session.some((r) => r.challengeMetadata === 'Q1' && r.challengeResult);
  const q = passedQ1 ? 'Q2' : 'Q1';
  event.response.publicChallengeParameters = { question: q === 'Q1' ? 'What is 2 + 2?' : 'Capital of France?' };
  event.response.privateChallengeParameters = { answer: q === 'Q1' ? '4' : 'paris' };
  event.response.challengeMetadata = q;
  callback(null, event);
};`;

const VERIFY = `${RECORD}
exports.handler = async (event) => {
  record(event);
  event.response.answerCorrect =
    String(event.request.challengeAnswer).toLowerCase() === event.request.privateChallengeParameters.answer;
  return event;
};`;

/**
 * Migration: a legacy directory of two users. legacy@example.com (password Legacy-Pass1) migrates CONFIRMED;
 * reset@example.com migrates RESET_REQUIRED; gone@example.com makes the function throw "User not found";
 * broken@example.com makes it throw something else; alias@example.com forces an alias taken by another user.
 */
const MIGRATE = `${RECORD}
exports.handler = async (event) => {
  record(event);
  const name = event.userName;
  if (name === 'broken@example.com') throw new Error('legacy directory unreachable');
  if (name === 'gone@example.com') throw new Error('User not found');
  if (event.triggerSource === 'UserMigration_Authentication') {
    if (name === 'legacy@example.com' && event.request.password === 'Legacy-Pass1') {
      event.response.userAttributes = { email: name, email_verified: 'true', name: 'Legacy User' };
      event.response.finalUserStatus = 'CONFIRMED';
      event.response.messageAction = 'SUPPRESS';
      return event;
    }
    if (name === 'reset@example.com') {
      event.response.userAttributes = { email: name, email_verified: 'true' };
      event.response.finalUserStatus = 'RESET_REQUIRED';
      event.response.messageAction = 'SUPPRESS';
      return event;
    }
    throw new Error('Bad password');
  }
  if (name === 'legacy@example.com' || name === 'forgot@example.com') {
    event.response.userAttributes = { email: name, email_verified: 'true' };
    event.response.messageAction = 'SUPPRESS';
    return event;
  }
  throw new Error('User not found');
};`;

export interface CustomAuthCloud {
  idp: TestIdp;
  poolId: string;
  /** Events the functions received, in order, read back from their log. */
  events(): Record<string, unknown>[];
  /** A client of the pool, with the given settings (ALLOW_CUSTOM_AUTH etc.). */
  client(input?: Partial<CreateUserPoolClientCommandInput>): Promise<string>;
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local Cognito with the test clock on and a pool whose DefineAuthChallenge, CreateAuthChallenge,
 * VerifyAuthChallengeResponse and UserMigration triggers are real Node functions in the local Lambda runtime, set
 * through CreateUserPool's LambdaConfig (ARNs).
 */
export async function startCustomAuthCloud(
  pool: { UsernameAttributes?: ('email' | 'phone_number')[] } = {},
): Promise<CustomAuthCloud> {
  const logDir = await mkdtemp(join(tmpdir(), 'gatehouse-custom-auth-'));
  const log = join(logDir, 'events.jsonl');
  const environment = { EVENT_LOG: log };
  const runtime = new LambdaRuntime({
    functions: [
      fn('define', codeDir({ 'index.js': DEFINE }), { environment }),
      fn('create', codeDir({ 'index.js': CREATE }), { environment }),
      fn('verify', codeDir({ 'index.js': VERIFY }), { environment }),
      fn('migrate', codeDir({ 'index.js': MIGRATE }), { environment }),
    ],
    log: memoryLogger(),
    region: REGION,
    accountId: ACCOUNT,
    consoleSink: () => {},
  });
  const clock = new AdjustableClock();
  const idp = await startTestIdp({ invoker: runtime, clock, testClock: clock });
  const arn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  const created = await idp.sdk.send(
    new CreateUserPoolCommand({
      PoolName: 'custom',
      UsernameAttributes: pool.UsernameAttributes ?? ['email'],
      LambdaConfig: {
        DefineAuthChallenge: arn('define'),
        CreateAuthChallenge: arn('create'),
        VerifyAuthChallengeResponse: arn('verify'),
        UserMigration: arn('migrate'),
      },
    }),
  );
  const poolId = created.UserPool?.Id as string;
  return {
    idp,
    poolId,
    events() {
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async client(input = {}) {
      const c = await idp.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          ExplicitAuthFlows: [
            'ALLOW_CUSTOM_AUTH',
            'ALLOW_USER_SRP_AUTH',
            'ALLOW_USER_PASSWORD_AUTH',
            'ALLOW_ADMIN_USER_PASSWORD_AUTH',
            'ALLOW_REFRESH_TOKEN_AUTH',
          ],
          ...input,
        }),
      );
      return c.UserPoolClient?.ClientId as string;
    },
    async advance(seconds) {
      const res = await fetch(`${idp.url}/_gatehouse/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
      if (res.status !== 200) throw new Error(`clock: ${res.status}`);
    },
    async stop() {
      try {
        await idp.stop();
      } finally {
        await runtime.close();
        cleanup();
        await rm(logDir, { recursive: true, force: true });
      }
    },
  };
}
