import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import {
  type ClientRecord,
  openStores,
  type PoolRecord,
  type Stores,
  type UserRecord,
} from '../../../store/index.js';
import { type IdpService, type IssueRequest, sha256 } from '../service/index.js';
import type { AuthorizeRequest } from './authorizeRequest.js';
import { completeAuthorize } from './completeAuthorize.js';
import { CODE_TTL_MS } from './policy.js';
import type { OAuthStore } from './store.js';

const pool = { id: 'us-east-1_TestPool1', name: 'Test pool' } as PoolRecord;
const client = { id: 'client0000000000000000000a', poolId: pool.id, name: 'Web' } as ClientRecord;
const user = { poolId: pool.id, sub: 'sub-1', username: 'ann' } as UserRecord;

function authorizeRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    pool,
    client,
    // A registered callback may carry its own query: it is kept.
    redirectUri: 'https://app.example/callback?tenant=7',
    responseType: 'code',
    scopes: ['openid', 'email'],
    state: 'st/ate+1',
    nonce: 'n-1',
    codeChallenge: undefined,
    params: {},
    ...overrides,
  };
}

describe('completeAuthorize', () => {
  let stores: Stores;
  let store: OAuthStore;
  const clock = new FakeClock();
  /** The token mint, recording what it was asked for: only the implicit grant mints here. */
  const issued: IssueRequest[] = [];
  const service = {
    tokens: {
      issue: async (req: IssueRequest) => {
        issued.push(req);
        return { accessToken: 'AT', idToken: 'IT', refreshToken: undefined, expiresIn: 3600, originJti: 'j' };
      },
    },
  } as unknown as IdpService;

  beforeEach(() => {
    stores = openStores(':memory:');
    store = stores.idp.hostedUi;
    issued.length = 0;
  });
  afterEach(() => {
    stores.close();
  });

  it('sends a code grant to the callback with a one-time code, stored only by its hash, for 5 minutes', async () => {
    const authTime = Math.floor(clock.now() / 1000) - 30;
    const url = new URL(
      await completeAuthorize({ service, store, clock }, authorizeRequest(), user, authTime),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://app.example/callback');
    expect([...url.searchParams.keys()]).toEqual(['tenant', 'code', 'state']);
    expect(url.searchParams.get('state')).toBe('st/ate+1');
    const code = url.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued).toEqual([]);
    const used = store.useCode(sha256(code), clock.now());
    expect(used.ok && used.code).toMatchObject({
      poolId: pool.id,
      clientId: client.id,
      sub: 'sub-1',
      redirectUri: 'https://app.example/callback?tenant=7',
      scopes: ['openid', 'email'],
      nonce: 'n-1',
      codeChallenge: undefined,
      authTime,
      expiresAt: clock.now() + CODE_TTL_MS,
    });
    expect(store.useCode(code, clock.now())).toEqual({ ok: false, reason: 'missing' });
  });

  it('sends an implicit grant the tokens in the fragment, in Cognito order with a lowercase bearer', async () => {
    const authTime = Math.floor(clock.now() / 1000);
    const url = new URL(
      await completeAuthorize(
        { service, store, clock },
        authorizeRequest({ responseType: 'token', state: undefined }),
        user,
        authTime,
      ),
    );
    expect(url.search).toBe('?tenant=7');
    expect(url.hash).toBe('#id_token=IT&access_token=AT&token_type=bearer&expires_in=3600');
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({
      withRefreshToken: false,
      withIdToken: true,
      nonce: 'n-1',
      atHash: true,
      triggerSource: 'TokenGeneration_HostedAuth',
      authTime,
    });
  });
});
