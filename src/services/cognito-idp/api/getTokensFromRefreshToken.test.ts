import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, type ServiceHarness, serviceHarness } from '../../../../test/helpers/idpService.js';

type Result = { AuthenticationResult: { AccessToken: string; IdToken?: string; RefreshToken?: string } };

describe('GetTokensFromRefreshToken', () => {
  let h: ServiceHarness;
  beforeEach(() => {
    h = serviceHarness();
  });
  afterEach(() => h.close());

  const refresh = (clientId: string, token: string, extra: Record<string, unknown> = {}) =>
    h.call<Result>('GetTokensFromRefreshToken', { ClientId: clientId, RefreshToken: token, ...extra });

  it('returns new tokens of the same sign-in and no refresh token without rotation', async () => {
    const { clientId, hash } = await h.setup();
    await h.confirmedUser(clientId, hash, 'a@example.com');
    const t = await h.signIn(clientId, 'a@example.com');
    // A JWE, as Cognito's refresh tokens are: five parts, encrypted.
    expect(t.RefreshToken.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(t.RefreshToken)).toMatchObject({ enc: 'A256GCM' });
    h.clock.advance(10_000);
    const r = (await refresh(clientId, t.RefreshToken)).AuthenticationResult;
    expect(r.RefreshToken).toBeUndefined();
    expect(decodeJwt(r.AccessToken).origin_jti).toBe(decodeJwt(t.AccessToken).origin_jti);
    expect(decodeJwt(r.AccessToken).iat).toBe((decodeJwt(t.AccessToken).iat as number) + 10);
    await h.call('GetUser', { AccessToken: r.AccessToken });
  });

  it('asks a confidential client for its secret and compares it', async () => {
    const { clientId, hash, secret } = await h.setup({ client: { GenerateSecret: true } });
    await h.confirmedUser(clientId, hash, 's@example.com');
    const t = await h.signIn(clientId, 's@example.com', undefined, hash('s@example.com'));
    expect(await errorOf(refresh(clientId, t.RefreshToken))).toMatchObject({
      code: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    expect(await errorOf(refresh(clientId, t.RefreshToken, { ClientSecret: 'w'.repeat(51) }))).toMatchObject({
      code: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    const r = await refresh(clientId, t.RefreshToken, { ClientSecret: secret });
    expect(r.AuthenticationResult.AccessToken).toBeTruthy();
  });

  it('refuses garbled tokens and tokens of another client or pool as invalid', async () => {
    const a = await h.setup();
    const b = await h.setup();
    await h.confirmedUser(a.clientId, a.hash, 'x@example.com');
    const t = await h.signIn(a.clientId, 'x@example.com');
    const invalid = { code: 'NotAuthorizedException', message: 'Invalid Refresh Token' };
    expect(await errorOf(refresh(a.clientId, 'not-a-token'))).toMatchObject(invalid);
    expect(await errorOf(refresh(b.clientId, t.RefreshToken))).toMatchObject(invalid);
    const parts = t.RefreshToken.split('.');
    parts[3] = `${parts[3]?.startsWith('A') ? 'B' : 'A'}${parts[3]?.slice(1)}`;
    expect(await errorOf(refresh(a.clientId, parts.join('.')))).toMatchObject(invalid);
  });

  it('refuses an expired refresh token as expired, also after the purge dropped its sign-in', async () => {
    const { clientId, hash } = await h.setup({
      client: { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } },
    });
    await h.confirmedUser(clientId, hash, 'e@example.com');
    const t = await h.signIn(clientId, 'e@example.com');
    h.clock.advance(59 * 60_000);
    await refresh(clientId, t.RefreshToken);
    h.clock.advance(60_000);
    const expired = { code: 'NotAuthorizedException', message: 'Refresh Token has expired' };
    expect(await errorOf(refresh(clientId, t.RefreshToken))).toMatchObject(expired);
    h.clock.advance(30 * 86400_000);
    h.service.purgeExpired();
    expect(await errorOf(refresh(clientId, t.RefreshToken))).toMatchObject(expired);
  });

  describe('with refresh-token rotation', () => {
    const rotating = (grace: number) => ({
      client: { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: grace } },
    });

    it('returns a new refresh token each time; the old one lives the grace period, then is refused', async () => {
      const { clientId, hash } = await h.setup(rotating(10));
      await h.confirmedUser(clientId, hash, 'r@example.com');
      const t = await h.signIn(clientId, 'r@example.com');
      const first = (await refresh(clientId, t.RefreshToken)).AuthenticationResult;
      expect(first.RefreshToken).toBeTruthy();
      expect(first.RefreshToken).not.toBe(t.RefreshToken);
      expect(decodeJwt(first.AccessToken).origin_jti).toBe(decodeJwt(t.AccessToken).origin_jti);
      h.clock.advance(9_000);
      // A retry within the grace period still works (and still rotates).
      const retry = (await refresh(clientId, t.RefreshToken)).AuthenticationResult;
      expect(retry.RefreshToken).toBeTruthy();
      h.clock.advance(1_000);
      expect(await errorOf(refresh(clientId, t.RefreshToken))).toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Invalid Refresh Token',
      });
      const second = (await refresh(clientId, first.RefreshToken as string)).AuthenticationResult;
      await h.call('GetUser', { AccessToken: second.AccessToken });
    });

    it('refuses the old token at once with no grace period', async () => {
      const { clientId, hash } = await h.setup(rotating(0));
      await h.confirmedUser(clientId, hash, 'z@example.com');
      const t = await h.signIn(clientId, 'z@example.com');
      await refresh(clientId, t.RefreshToken);
      expect((await errorOf(refresh(clientId, t.RefreshToken))).message).toBe('Invalid Refresh Token');
    });

    it('gives only one of three concurrent refreshes a new token when there is no grace period', async () => {
      const { clientId, hash } = await h.setup(rotating(0));
      await h.confirmedUser(clientId, hash, 'c@example.com');
      const t = await h.signIn(clientId, 'c@example.com');
      const results = await Promise.allSettled([
        refresh(clientId, t.RefreshToken),
        refresh(clientId, t.RefreshToken),
        refresh(clientId, t.RefreshToken),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ message: 'Invalid Refresh Token' });
      }
    });

    it('refuses REFRESH_TOKEN_AUTH through InitiateAuth', async () => {
      const { clientId, hash } = await h.setup(rotating(0));
      await h.confirmedUser(clientId, hash, 'i@example.com');
      const t = await h.signIn(clientId, 'i@example.com');
      const err = await errorOf(
        h.call('InitiateAuth', {
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: t.RefreshToken },
        }),
      );
      expect(err.code).toBe('NotAuthorizedException');
      expect(err.message).toMatch(/GetTokensFromRefreshToken/);
    });

    it('ends the whole family when any token of the chain is revoked', async () => {
      const { clientId, hash } = await h.setup(rotating(60));
      await h.confirmedUser(clientId, hash, 'f@example.com');
      const t = await h.signIn(clientId, 'f@example.com');
      const a = (await refresh(clientId, t.RefreshToken)).AuthenticationResult;
      const b = (await refresh(clientId, a.RefreshToken as string)).AuthenticationResult;
      // Revoke the middle one: the first sign-in's access token and the newest refresh token die with it.
      await h.call('RevokeToken', { ClientId: clientId, Token: a.RefreshToken });
      expect((await errorOf(h.call('GetUser', { AccessToken: t.AccessToken }))).message).toBe(
        'Access Token has been revoked',
      );
      expect((await errorOf(h.call('GetUser', { AccessToken: b.AccessToken }))).message).toBe(
        'Access Token has been revoked',
      );
      expect((await errorOf(refresh(clientId, b.RefreshToken as string))).message).toBe(
        'Refresh Token has been revoked',
      );
    });
  });
});
