import { afterEach, describe, expect, it } from 'vitest';
import type { UserPoolSpec } from '../../src/services/cloudformation/types.js';
import { provisionUserPools } from '../../src/services/cognito-idp/provision.js';
import { webAuthnConfigOf } from '../../src/services/cognito-idp/service/userAuthConfig.js';
import { type ServiceHarness, serviceHarness } from '../helpers/idpService.js';

/** The template's properties for choice-based sign-in and passkeys reach the pool and its client. */
describe('template properties: UserPoolTier, SignInPolicy, WebAuthn, ALLOW_USER_AUTH', () => {
  let h: ServiceHarness | undefined;
  afterEach(() => h?.close());

  const spec = (properties: Record<string, unknown>): UserPoolSpec =>
    ({
      logicalId: 'Pool',
      id: 'us-east-1_Tmpl0001',
      name: 'tmpl',
      properties,
      clients: [
        {
          logicalId: 'Client',
          id: 'tmplclient0000000000000001',
          properties: {
            ClientName: 'web',
            ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          },
        },
      ],
      groups: [],
      resourceServers: [],
    }) as unknown as UserPoolSpec;

  it('provisions the tier, the first factors and the relying party', async () => {
    h = serviceHarness();
    await provisionUserPools(h.service, {
      userPools: [
        spec({
          UserPoolTier: 'ESSENTIALS',
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } },
          WebAuthnRelyingPartyID: 'localhost',
          WebAuthnUserVerification: 'required',
        }),
      ],
    });
    const d = await h.call<{ UserPool: Record<string, unknown> }>('DescribeUserPool', {
      UserPoolId: 'us-east-1_Tmpl0001',
    });
    expect(d.UserPool.UserPoolTier).toBe('ESSENTIALS');
    expect(d.UserPool.Policies).toMatchObject({
      SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] },
    });
    expect(webAuthnConfigOf(h.service.pool('us-east-1_Tmpl0001'))).toEqual({
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    });
    const c = await h.call<{ UserPoolClient: { ExplicitAuthFlows: string[] } }>('DescribeUserPoolClient', {
      UserPoolId: 'us-east-1_Tmpl0001',
      ClientId: 'tmplclient0000000000000001',
    });
    expect(c.UserPoolClient.ExplicitAuthFlows).toContain('ALLOW_USER_AUTH');
  });

  it('a LITE pool with passwordless factors is refused', async () => {
    h = serviceHarness();
    await expect(
      provisionUserPools(h.service, {
        userPools: [
          spec({
            UserPoolTier: 'LITE',
            Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'SMS_OTP'] } },
          }),
        ],
      }),
    ).rejects.toMatchObject({ code: 'FeatureUnavailableInTierException' });
  });
});
