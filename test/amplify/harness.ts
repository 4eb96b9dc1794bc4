import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { type StartedIdp, startIdp } from '../../src/services/cognito-idp/index.js';
import { AdjustableClock } from '../../src/shared/clock.js';

/** Amplify's KeyValueStorage over a Map, so a test can read what the app keeps (the refresh token). */
export class MapStorage {
  readonly items = new Map<string, string>();
  async setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  async getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  async removeItem(k: string) {
    this.items.delete(k);
  }
  async clear() {
    this.items.clear();
  }
  /** The value of the first key ending in `suffix` (Amplify keys are `CognitoIdentityServiceProvider.<client>...`). */
  find(suffix: string): string | undefined {
    for (const [k, v] of this.items) if (k.endsWith(suffix)) return v;
    return undefined;
  }
}

export interface AmplifyCloud {
  idp: StartedIdp;
  sdk: CognitoIdentityProviderClient;
  storage: MapStorage;
  dataDir: string;
  /** Moves the cloud's clock through the test clock endpoint, as an app's test would. */
  advance(seconds: number): Promise<void>;
  /** Newest 6-digit code sent to an address or phone number, read from the inbox URL. */
  latestCode(to: string): Promise<string>;
  /** Points Amplify at a pool and client of this cloud. */
  configure(userPoolId: string, userPoolClientId: string): void;
  stop(): Promise<void>;
}

/**
 * The local Cognito with the test clock on, on 127.0.0.1:0 with a temp data dir. Its clock is real time (read from
 * the monotonic performance clock, so a test that fakes Date does not move it) plus what the test clock adds.
 */
export async function startAmplifyCloud(): Promise<AmplifyCloud> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-amplify-'));
  const clock = new AdjustableClock({ now: () => Math.floor(performance.timeOrigin + performance.now()) });
  const idp = await startIdp({ dataDir, region: 'us-east-1', issuerMode: 'local', clock, testClock: clock });
  const sdk = new CognitoIdentityProviderClient({
    endpoint: idp.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const storage = new MapStorage();
  return {
    idp,
    sdk,
    storage,
    dataDir,
    async advance(seconds) {
      const res = await fetch(`${idp.url}/_gatehouse/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceSeconds: seconds }),
      });
      if (res.status !== 200) throw new Error(`clock: ${res.status} ${await res.text()}`);
    },
    async latestCode(to) {
      const res = await fetch(`${idp.urls.inboxUrl}?to=${encodeURIComponent(to)}`);
      const [newest] = (await res.json()) as { text: string }[];
      const m = newest && /\b(\d{6})\b/.exec(newest.text);
      if (!m?.[1]) throw new Error(`no code sent to ${to}`);
      return m[1];
    },
    configure(userPoolId, userPoolClientId) {
      Amplify.configure({
        Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: idp.url } },
      });
      cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
    },
    async stop() {
      sdk.destroy();
      await idp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
