import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterEach, describe, expect, it } from 'vitest';
import type { IssuerMode } from '../../src/config/index.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';

/** A pool with one confirmed user and a client allowed ADMIN_USER_PASSWORD_AUTH; returns fresh tokens. */
async function signedIn(idp: TestIdp) {
  const pool = await idp.sdk.send(new CreateUserPoolCommand({ PoolName: 'verify' }));
  const poolId = pool.UserPool?.Id as string;
  const client = await idp.sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'api',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
    }),
  );
  const clientId = client.UserPoolClient?.ClientId as string;
  await idp.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'dana',
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Temp-Passw0rd!',
    }),
  );
  await idp.sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: 'dana',
      Password: 'Dana-Passw0rd!',
      Permanent: true,
    }),
  );
  const auth = await idp.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'dana', PASSWORD: 'Dana-Passw0rd!' },
    }),
  );
  const jwks = (await (await fetch(idp.urls.jwksUri(poolId))).json()) as Jwks;
  return {
    poolId,
    clientId,
    jwks,
    accessToken: auth.AuthenticationResult?.AccessToken as string,
    idToken: auth.AuthenticationResult?.IdToken as string,
  };
}

describe('tokens checked by aws-jwt-verify', () => {
  let idp: TestIdp | undefined;
  const start = async (issuerMode: IssuerMode) => {
    idp = await startTestIdp({ issuerMode });
    return idp;
  };
  afterEach(async () => {
    await idp?.stop();
    idp = undefined;
  });

  it('verifies access and id tokens for the local issuer with JwtVerifier and validateCognitoJwtFields', async () => {
    const local = await start('local');
    const t = await signedIn(local);
    const issuer = `${local.url}/${t.poolId}`;
    const verifierFor = (tokenUse: 'access' | 'id', clientId: string) => {
      const v = JwtVerifier.create({
        issuer,
        audience: null,
        jwksUri: local.urls.jwksUri(t.poolId),
        customJwtCheck: ({ payload }) =>
          validateCognitoJwtFields(payload, { tokenUse, clientId, groups: null }),
      });
      v.cacheJwks(t.jwks);
      return v;
    };
    const access = await verifierFor('access', t.clientId).verify(t.accessToken);
    expect(access.token_use).toBe('access');
    expect(access.version).toBe(2);
    const id = await verifierFor('id', t.clientId).verify(t.idToken);
    expect(id['cognito:username']).toBe('dana');
    await expect(verifierFor('access', 'anotherclient').verify(t.accessToken)).rejects.toThrow(/client/i);
    await expect(verifierFor('id', t.clientId).verify(t.accessToken)).rejects.toThrow(/token_use|Token use/i);
  });

  it('rejects a token signed by another pool', async () => {
    const local = await start('local');
    const a = await signedIn(local);
    const b = await signedIn(local);
    const v = JwtVerifier.create({
      issuer: `${local.url}/${a.poolId}`,
      audience: null,
      jwksUri: local.urls.jwksUri(a.poolId),
    });
    v.cacheJwks(a.jwks);
    await expect(v.verify(b.accessToken)).rejects.toThrow();
    await expect(
      local.sdk.send(
        new GetUserCommand({
          AccessToken: b.accessToken.replace(/\.[^.]+$/, `.${a.accessToken.split('.')[2]}`),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });

  it('passes the unmodified CognitoJwtVerifier in aws issuer mode', async () => {
    const aws = await start('aws');
    const t = await signedIn(aws);
    const idVerifier = CognitoJwtVerifier.create({
      userPoolId: t.poolId,
      tokenUse: 'id',
      clientId: t.clientId,
    });
    idVerifier.cacheJwks(t.jwks);
    const id = await idVerifier.verify(t.idToken);
    expect(id.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${t.poolId}`);
    const accessVerifier = CognitoJwtVerifier.create({
      userPoolId: t.poolId,
      tokenUse: 'access',
      clientId: t.clientId,
    });
    accessVerifier.cacheJwks(t.jwks);
    expect((await accessVerifier.verify(t.accessToken)).username).toBe('dana');
    // The local service still accepts its own aws-form tokens.
    expect((await aws.sdk.send(new GetUserCommand({ AccessToken: t.accessToken }))).Username).toBe('dana');
  });
});
