import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { IssuerMode } from '../../src/config/index.js';
import type { Topology } from '../../src/services/cloudformation/types.js';
import { type StartedIdp, startIdp, type TestClockControl } from '../../src/services/cognito-idp/index.js';
import type { IdSource } from '../../src/services/cognito-idp/service/index.js';
import type { Clock } from '../../src/shared/clock.js';
import type { FunctionInvoker } from '../../src/shared/invoker.js';

export interface TestIdp extends StartedIdp {
  dataDir: string;
  sdk: CognitoIdentityProviderClient;
  /** Reads the newest 6-digit code mailed to `to`, through the inbox URL as a user of the local cloud would. */
  latestCode(to: string): Promise<string>;
  /** Every message mailed to `to`, newest first, through the inbox URL. */
  inbox(to: string): Promise<{ to: string; subject: string; text: string; sentAt: string }[]>;
  stop(): Promise<void>;
}

/** Starts an IdP on 127.0.0.1:0 with a temp data dir and an SDK v3 client pointed at it (dummy credentials). */
export async function startTestIdp(
  o: {
    clock?: Clock;
    issuerMode?: IssuerMode;
    topology?: Pick<Topology, 'userPools'>;
    invoker?: FunctionInvoker;
    smtpUrl?: string;
    dataDir?: string;
    /** Where ids, secrets and codes come from (node:crypto unless told); for tests that need known codes. */
    ids?: IdSource;
    /** Turns on `POST /_gatehouse/clock`, moving this clock. */
    testClock?: TestClockControl;
    /** 0: the SRP worker takes every password operation from the first (by default it starts under load). */
    srpInlineBudgetMs?: number;
  } = {},
): Promise<TestIdp> {
  const dataDir = o.dataDir ?? (await mkdtemp(join(tmpdir(), 'gatehouse-idp-')));
  const idp = await startIdp({
    dataDir,
    region: 'us-east-1',
    issuerMode: o.issuerMode ?? 'local',
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.topology ? { topology: o.topology } : {}),
    ...(o.invoker ? { invoker: o.invoker } : {}),
    ...(o.smtpUrl ? { smtpUrl: o.smtpUrl } : {}),
    ...(o.ids ? { ids: o.ids } : {}),
    ...(o.testClock ? { testClock: o.testClock } : {}),
    ...(o.srpInlineBudgetMs !== undefined ? { srpInlineBudgetMs: o.srpInlineBudgetMs } : {}),
  });
  const sdk = new CognitoIdentityProviderClient({
    endpoint: idp.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const inbox = async (to: string) => {
    const res = await fetch(`${idp.urls.inboxUrl}?to=${encodeURIComponent(to)}`);
    return (await res.json()) as { to: string; subject: string; text: string; sentAt: string }[];
  };
  return {
    ...idp,
    dataDir,
    sdk,
    inbox,
    async latestCode(to) {
      const [newest] = await inbox(to);
      const m = newest && /\b(\d{6})\b/.exec(newest.text);
      if (!m?.[1]) throw new Error(`no code mailed to ${to}`);
      return m[1];
    },
    async stop() {
      sdk.destroy();
      await idp.close();
      if (!o.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** SECRET_HASH as clients compute it: Base64(HMAC-SHA256(secret, username + clientId)). */
export function secretHash(username: string, clientId: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}
