import { afterEach, describe, expect, it } from 'vitest';
import { OAuthError, token } from '../../src/services/cognito-idp/hosted-ui/index.js';

import { sha256 } from '../../src/services/cognito-idp/service/index.js';
import { noTriggers } from '../../src/services/cognito-idp/service/triggers.js';
import { type ServiceHarness, serviceHarness } from '../helpers/idpService.js';

const CALLBACK = 'http://localhost:3000/callback';

/**
 * Issue 10, finding 6: a code replayed while its first exchange is still minting must revoke that exchange's tokens,
 * as a replay after the exchange does. The PreTokenGeneration trigger holds the first exchange open until every
 * replay has been answered, which is the window a parallel burst hits.
 */
describe('an authorization code exchanged in parallel', () => {
  let h: ServiceHarness | undefined;
  afterEach(() => h?.close());

  it('gives one exchange tokens and revokes them when the code is replayed during that exchange', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    h = serviceHarness({
      triggers: {
        ...noTriggers,
        preTokenGeneration: async () => {
          await gate;
          return {};
        },
      },
    });
    const harness = h;
    const { poolId, clientId, secret, hash } = await harness.setup({
      client: {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ['COGNITO'],
      },
    });
    const sub = await harness.confirmedUser(clientId, hash, 'replay@example.com');
    const now = harness.clock.now();
    const store = harness.stores.idp.hostedUi;
    store.insertCode({
      codeHash: sha256('the-code'),
      poolId,
      clientId,
      sub,
      redirectUri: CALLBACK,
      scopes: ['openid', 'email'],
      nonce: undefined,
      codeChallenge: undefined,
      authTime: Math.floor(now / 1000),
      expiresAt: now + 300_000,
    });
    const deps = { service: harness.service, store, clock: harness.clock };
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
    const exchange = () =>
      token(deps, basic, { grant_type: 'authorization_code', code: 'the-code', redirect_uri: CALLBACK });

    const first = exchange();
    const replays = await Promise.allSettled(Array.from({ length: 19 }, exchange));
    release();
    const tokens = await first;

    for (const r of replays) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(OAuthError);
      expect((r as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    }
    await expect(
      token(deps, basic, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(harness.service.tokens.verifyAccess(tokens.access_token, 'openid')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });
});
