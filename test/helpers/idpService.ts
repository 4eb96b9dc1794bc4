import { createHmac } from 'node:crypto';
import { createUrls } from '../../src/config/index.js';
import { dispatch, type OperationName } from '../../src/services/cognito-idp/api/index.js';
import { MemoryOutbox } from '../../src/services/cognito-idp/mail/outbox.js';
import type { MailMessage } from '../../src/services/cognito-idp/mail/types.js';
import {
  IdpService,
  inlineSrp,
  type PoolTriggers,
  type SrpCompute,
} from '../../src/services/cognito-idp/service/index.js';
import { generatePoolKeys, type StoredKey } from '../../src/services/cognito-idp/tokens/keys.js';
import { FakeClock } from '../../src/shared/clock.js';
import { openStores, type Stores } from '../../src/store/index.js';

/** An in-memory pool service for unit tests: SQLite `:memory:`, a FakeClock, and every sent message kept. */
export interface ServiceHarness {
  service: IdpService;
  stores: Stores;
  clock: FakeClock;
  sent: MailMessage[];
  /** Runs an operation exactly as the server does: botocore-model validation, then the handler. */
  call<T = Record<string, unknown>>(op: OperationName, body: unknown): Promise<T>;
  /** The newest 6-digit code mailed to `to`. */
  code(to: string): string;
  /** A pool (email as username unless told otherwise) and a client; returns their ids and a SECRET_HASH helper. */
  setup(o?: { pool?: Record<string, unknown>; client?: Record<string, unknown> }): Promise<{
    poolId: string;
    clientId: string;
    secret: string | undefined;
    hash(username: string): string | undefined;
  }>;
  /** A confirmed user with the given password, through SignUp + ConfirmSignUp. */
  confirmedUser(
    clientId: string,
    hash: (u: string) => string | undefined,
    email: string,
    password?: string,
  ): Promise<string>;
  /** Signs in with USER_PASSWORD_AUTH and returns the AuthenticationResult. */
  signIn(
    clientId: string,
    email: string,
    password?: string,
    secretHash?: string,
  ): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }>;
  close(): void;
}

export const PASSWORD = 'Unit-Passw0rd!';

/** One key set for every pool of a test file: RSA generation is the slowest part of CreateUserPool. */
let sharedKeys: Promise<StoredKey[]> | undefined;
const reuseKeys = () => {
  sharedKeys ??= generatePoolKeys();
  return sharedKeys;
};

/**
 * SRP maths that answers on a later turn of the event loop, as the worker threads do: concurrent calls then
 * interleave across the password check the way they do in the server.
 */
export const deferredSrp: SrpCompute = {
  createVerifier: async (...args) => {
    await new Promise((r) => setImmediate(r));
    return inlineSrp.createVerifier(...args);
  },
  verifyPassword: async (...args) => {
    await new Promise((r) => setImmediate(r));
    return inlineSrp.verifyPassword(...args);
  },
  close: async () => {},
};

export function serviceHarness(
  o: { triggers?: PoolTriggers; issuerMode?: 'local' | 'aws'; srp?: SrpCompute } = {},
): ServiceHarness {
  const stores = openStores(':memory:');
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const sent: MailMessage[] = [];
  const outbox = new MemoryOutbox();
  const urls = createUrls({
    region: 'us-east-1',
    issuerMode: o.issuerMode ?? 'local',
    idpOrigin: 'http://127.0.0.1:9229',
    hostedUiOrigin: 'http://localhost:9230',
    apiOrigin: 'http://127.0.0.1:9231',
  });
  const service = new IdpService({
    store: stores.idp,
    urls,
    clock,
    mailer: {
      send: async (m) => {
        sent.push(m);
      },
    },
    outbox,
    log: { info: () => {}, warn: () => {} },
    generateKeys: reuseKeys,
    ...(o.srp ? { srp: o.srp } : {}),
    ...(o.triggers ? { triggersFor: () => o.triggers as PoolTriggers } : {}),
  });
  const call = async <T>(op: OperationName, body: unknown) => (await dispatch({ service }, op, body)) as T;
  const h: ServiceHarness = {
    service,
    stores,
    clock,
    sent,
    call,
    code(to) {
      const all = [...sent, ...outbox.list(to).map((e) => ({ to: e.to, subject: e.subject, text: e.text }))];
      const m = all.filter((x) => x.to.toLowerCase() === to.toLowerCase()).at(-1);
      const code = m && /\b(\d{6})\b/.exec(m.text)?.[1];
      if (!code) throw new Error(`no code for ${to}`);
      return code;
    },
    async setup(s = {}) {
      const pool = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
        PoolName: 'unit',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        ...s.pool,
      });
      const client = await call<{ UserPoolClient: { ClientId: string; ClientSecret?: string } }>(
        'CreateUserPoolClient',
        {
          UserPoolId: pool.UserPool.Id,
          ClientName: 'unit',
          ExplicitAuthFlows: [
            'ALLOW_USER_PASSWORD_AUTH',
            'ALLOW_ADMIN_USER_PASSWORD_AUTH',
            'ALLOW_REFRESH_TOKEN_AUTH',
            'ALLOW_USER_SRP_AUTH',
          ],
          ...s.client,
        },
      );
      const { ClientId: clientId, ClientSecret: secret } = client.UserPoolClient;
      return {
        poolId: pool.UserPool.Id,
        clientId,
        secret,
        hash: (u: string) =>
          secret
            ? createHmac('sha256', secret)
                .update(u + clientId)
                .digest('base64')
            : undefined,
      };
    },
    async confirmedUser(clientId, hash, email, password = PASSWORD) {
      const res = await call<{ UserSub: string }>('SignUp', {
        ClientId: clientId,
        Username: email,
        Password: password,
        SecretHash: hash(email),
      });
      await call('ConfirmSignUp', {
        ClientId: clientId,
        Username: email,
        ConfirmationCode: h.code(email),
        SecretHash: hash(email),
      });
      return res.UserSub;
    },
    async signIn(clientId, email, password = PASSWORD, secretHash) {
      const res = await call<{
        AuthenticationResult: { AccessToken: string; IdToken: string; RefreshToken: string };
      }>('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: email,
          PASSWORD: password,
          ...(secretHash ? { SECRET_HASH: secretHash } : {}),
        },
      });
      return res.AuthenticationResult;
    },
    close: () => stores.close(),
  };
  return h;
}

/** Resolves to the CognitoError a promise rejects with (fails the test if it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}
