import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

describe('GetUserPoolMfaConfig and SetUserPoolMfaConfig', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('reports a template pool’s EnabledMfas, then replaces them with an explicit setting', async () => {
    // As the template provisioning creates it (AWS::Cognito::UserPool properties).
    const pool = await h.service.pools.upsertPool('us-east-1_Tmpl12345', 'tmpl', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA'],
      SmsAuthenticationMessage: 'Code: {####}',
    });
    expect(await h.call('GetUserPoolMfaConfig', { UserPoolId: pool.id })).toEqual({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}' },
    });
    await h.call('SetUserPoolMfaConfig', {
      UserPoolId: pool.id,
      SoftwareTokenMfaConfiguration: { Enabled: false },
    });
    expect(await h.call('GetUserPoolMfaConfig', { UserPoolId: pool.id })).toEqual({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: false },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code: {####}' },
    });
  });

  it('is OFF for a new pool and refuses a message without {####} or an unknown pool', async () => {
    const { poolId } = await h.setup();
    // Nothing configured reads back as nothing (Terraform's plan after apply compares this read with what it wrote).
    expect(await h.call('GetUserPoolMfaConfig', { UserPoolId: poolId })).toEqual({ MfaConfiguration: 'OFF' });
    expect(
      await errorOf(
        h.call('SetUserPoolMfaConfig', {
          UserPoolId: poolId,
          MfaConfiguration: 'OPTIONAL',
          SmsMfaConfiguration: { SmsAuthenticationMessage: 'no code here' },
        }),
      ),
    ).toMatchObject({ code: 'InvalidParameterException' });
    expect((await errorOf(h.call('GetUserPoolMfaConfig', { UserPoolId: 'us-east-1_Nope12345' }))).code).toBe(
      'ResourceNotFoundException',
    );
  });
});
