import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  errorOf,
  PASSWORD,
  type ServiceHarness,
  serviceHarness,
} from '../../../../test/helpers/idpService.js';
import type { PoolTriggers } from '../service/index.js';
import { noTriggers } from '../service/index.js';

describe('SignUp', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  it('creates an UNCONFIRMED user whose internal username is the sub, and mails a 6-digit code', async () => {
    const { clientId, hash, poolId } = await h.setup({ client: { GenerateSecret: true } });
    const res = await h.call<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails: unknown }>(
      'SignUp',
      {
        ClientId: clientId,
        Username: 'Ada@Example.com',
        Password: PASSWORD,
        SecretHash: hash('Ada@Example.com'),
      },
    );
    expect(res.UserConfirmed).toBe(false);
    expect(res.CodeDeliveryDetails).toEqual({
      Destination: 'A***@E***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const user = h.stores.idp.users.bySub(poolId, res.UserSub);
    expect(user?.username).toBe(res.UserSub);
    expect(user?.status).toBe('UNCONFIRMED');
    expect(user?.srpVerifier).toMatch(/^[0-9a-f]+$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    expect(h.code('Ada@Example.com')).toMatch(/^\d{6}$/);
  });

  it('requires the SECRET_HASH of a client with a secret', async () => {
    const { clientId } = await h.setup({ client: { GenerateSecret: true } });
    expect(
      await errorOf(h.call('SignUp', { ClientId: clientId, Username: 'a@example.com', Password: PASSWORD })),
    ).toMatchObject({
      code: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
  });

  it('checks each rule of the password policy', async () => {
    const { clientId } = await h.setup({
      pool: { Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } } },
    });
    const attempt = (Password: string) =>
      errorOf(h.call('SignUp', { ClientId: clientId, Username: 'p@example.com', Password }));
    expect((await attempt('Short1a')).message).toBe(
      'Password did not conform with policy: Password not long enough',
    );
    expect((await attempt('NOLOWERCASE1')).message).toBe(
      'Password did not conform with policy: Password must have lowercase characters',
    );
    expect((await attempt('nouppercase1')).message).toBe(
      'Password did not conform with policy: Password must have uppercase characters',
    );
    expect((await attempt('NoNumbersHere')).message).toBe(
      'Password did not conform with policy: Password must have numeric characters',
    );
    const ok = await h.call<{ UserConfirmed: boolean }>('SignUp', {
      ClientId: clientId,
      Username: 'p@example.com',
      Password: 'NoSymbols123',
    });
    expect(ok.UserConfirmed).toBe(false);
  });

  it('requires the attributes the schema marks required', async () => {
    const { clientId } = await h.setup({
      pool: { Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String', Mutable: true }] },
    });
    expect(
      await errorOf(h.call('SignUp', { ClientId: clientId, Username: 'r@example.com', Password: PASSWORD })),
    ).toMatchObject({
      code: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: name: The attribute is required',
    });
  });

  it('refuses a taken username in a username pool', async () => {
    const { clientId } = await h.setup({ pool: { UsernameAttributes: undefined } });
    await h.call('SignUp', { ClientId: clientId, Username: 'taken', Password: PASSWORD });
    expect(
      await errorOf(h.call('SignUp', { ClientId: clientId, Username: 'taken', Password: PASSWORD })),
    ).toMatchObject({
      code: 'UsernameExistsException',
      message: 'User already exists',
    });
  });

  it('lets a PreSignUp trigger auto-confirm and auto-verify, without sending a code', async () => {
    const triggers: PoolTriggers = {
      ...noTriggers,
      preSignUp: async () => ({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false }),
    };
    const t = serviceHarness({ triggers });
    try {
      const { clientId, poolId } = await t.setup();
      const res = await t.call<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: unknown }>(
        'SignUp',
        {
          ClientId: clientId,
          Username: 'auto@example.com',
          Password: PASSWORD,
        },
      );
      expect(res.UserConfirmed).toBe(true);
      expect(res.CodeDeliveryDetails).toBeUndefined();
      expect(t.stores.idp.users.bySub(poolId, res.UserSub)?.attributes.email_verified).toBe('true');
      expect(t.sent).toHaveLength(0);
    } finally {
      t.close();
    }
  });

  it('uses the pool message template', async () => {
    const { clientId } = await h.setup({
      pool: { VerificationMessageTemplate: { EmailSubject: 'Welcome!', EmailMessage: 'Your code: {####}' } },
    });
    await h.call('SignUp', { ClientId: clientId, Username: 't@example.com', Password: PASSWORD });
    expect(h.sent.at(-1)?.subject).toBe('Welcome!');
    expect(h.sent.at(-1)?.text).toMatch(/^Your code: \d{6}$/);
  });

  it('answers UsernameExistsException, not a storage error, when two sign-ups race for one name', async () => {
    const { clientId } = await h.setup();
    const attempt = () =>
      h.call('SignUp', { ClientId: clientId, Username: 'race@example.com', Password: PASSWORD });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({
      code: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });
});
