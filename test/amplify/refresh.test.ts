import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyCloud, startAmplifyCloud } from './harness.js';

const PASSWORD = 'Amplify-Passw0rd!';

/** An Amplify v6 app's session on the local cloud: sign-in, refreshes (forced and past expiry), rotation, sign-out. */
describe('Amplify v6 session: refresh', () => {
  let cloud: AmplifyCloud;
  let clientId: string;

  beforeAll(async () => {
    cloud = await startAmplifyCloud();
    const pool = await cloud.sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'amplify',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
    );
    const poolId = pool.UserPool?.Id as string;
    const client = await cloud.sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      }),
    );
    clientId = client.UserPoolClient?.ClientId as string;
    cloud.configure(poolId, clientId);
    await signUp({ username: 'day@example.com', password: PASSWORD });
    await confirmSignUp({
      username: 'day@example.com',
      confirmationCode: await cloud.latestCode('day@example.com'),
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('signs in with SRP, then a forced refresh rotates the refresh token', async () => {
    const { isSignedIn } = await signIn({ username: 'day@example.com', password: PASSWORD });
    expect(isSignedIn).toBe(true);
    const before = await fetchAuthSession();
    const firstRefresh = cloud.storage.find('.refreshToken') as string;
    const after = await fetchAuthSession({ forceRefresh: true });
    expect(after.tokens?.accessToken.toString()).not.toBe(before.tokens?.accessToken.toString());
    expect(after.tokens?.accessToken.payload.origin_jti).toBe(before.tokens?.accessToken.payload.origin_jti);
    // Rotation: Amplify keeps the new refresh token; the old one dies after the grace period.
    const rotated = cloud.storage.find('.refreshToken') as string;
    expect(rotated).not.toBe(firstRefresh);
    await cloud.advance(11);
    await expect(
      cloud.sdk.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: firstRefresh }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    expect((await fetchUserAttributes()).email).toBe('day@example.com');
  });

  it('refreshes after the access token expired on the test clock, and lives a whole day', async () => {
    for (let hour = 0; hour < 24; hour++) {
      await cloud.advance(3600 + 60);
      // The app still holds the old access token: the cloud now refuses it as expired...
      await expect(fetchUserAttributes()).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has expired',
      });
      // ...and a refresh through GetTokensFromRefreshToken gets the app going again.
      await fetchAuthSession({ forceRefresh: true });
      expect((await fetchUserAttributes()).email).toBe('day@example.com');
    }
  });

  it('signs out globally: the refresh token stops working', async () => {
    const refreshToken = cloud.storage.find('.refreshToken') as string;
    await signOut({ global: true });
    await expect(
      cloud.sdk.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });
});
