/**
 * IaC/ deployed with Terraform to an empty local cloud serves the same system as the CDK stack on `npm start`:
 * compared through the APIs (routes, authorizer, stage, pool, client), then the original's demo runs against the
 * Terraform deployment (sign up, confirm with the code from the inbox, sign in, /person with the token).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, type RunningCloud, secretHash, startLocalCloud } from '../helpers/local-cloud.js';
import { requireTerraform, type TerraformDir, terraformDir } from './support.js';

const root = resolve(import.meta.dirname, '../..');

/** API Gateway v2's REST API, called as the SDK would (the edge routes by the SigV4 scope; no signature check). */
async function apigw<T>(endpoint: string, path: string): Promise<T> {
  const res = await fetch(`${endpoint}${path}`, {
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0',
    },
  });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Item {
  [k: string]: unknown;
}

/** What both deployments must agree on, read through the APIs of one local cloud. */
async function snapshot(cloud: RunningCloud) {
  const ep = cloud.endpoints.awsEndpoint;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: ep,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const poolId = pools.UserPools?.find((p) => p.Name === 'gatehouse-users')?.Id as string;
  const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool ?? {};
  const clients = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 }));
  const clientId = clients.UserPoolClients?.find((c) => c.ClientName === 'gatehouse-app')?.ClientId as string;
  const client =
    (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })))
      .UserPoolClient ?? {};

  const apis = await apigw<{ items: Item[] }>(ep, '/v2/apis');
  const api = apis.items.find((a) => a.name === 'serverless_lambda_gw') as Item;
  const apiId = api.apiId as string;
  const authorizers = (await apigw<{ items: Item[] }>(ep, `/v2/apis/${apiId}/authorizers`)).items;
  const byId = new Map(authorizers.map((a) => [a.authorizerId, a.name]));
  const routes = (await apigw<{ items: Item[] }>(ep, `/v2/apis/${apiId}/routes`)).items;
  const integrations = (await apigw<{ items: Item[] }>(ep, `/v2/apis/${apiId}/integrations`)).items;
  const stages = (await apigw<{ items: Item[] }>(ep, `/v2/apis/${apiId}/stages`)).items;
  const sorted = (v: unknown) => [...((v as string[] | undefined) ?? [])].sort();
  const jwt = (a: Item) => a.jwtConfiguration as { audience: string[]; issuer: string };
  return {
    pool: {
      UsernameAttributes: pool.UsernameAttributes,
      AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
      PasswordPolicy: pool.Policies?.PasswordPolicy,
      DefaultEmailOption: pool.VerificationMessageTemplate?.DefaultEmailOption,
      EmailSubject: pool.VerificationMessageTemplate?.EmailSubject,
      EmailMessage: pool.VerificationMessageTemplate?.EmailMessage,
      email: pool.SchemaAttributes?.find((s) => s.Name === 'email'),
      AccountRecoverySetting: pool.AccountRecoverySetting,
      AllowAdminCreateUserOnly: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly,
      hasDomain: typeof pool.Domain === 'string' && pool.Domain.length > 0,
    },
    client: {
      hasSecret: typeof client.ClientSecret === 'string' && client.ClientSecret.length > 0,
      ExplicitAuthFlows: sorted(client.ExplicitAuthFlows),
      AllowedOAuthFlows: sorted(client.AllowedOAuthFlows),
      AllowedOAuthScopes: sorted(client.AllowedOAuthScopes),
      AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient,
      CallbackURLs: client.CallbackURLs,
      LogoutURLs: client.LogoutURLs,
      SupportedIdentityProviders: client.SupportedIdentityProviders,
      PreventUserExistenceErrors: client.PreventUserExistenceErrors,
    },
    routes: routes
      .map((r) => ({
        routeKey: r.routeKey,
        authorizationType: r.authorizationType,
        authorizer: r.authorizerId === undefined ? undefined : byId.get(r.authorizerId),
      }))
      .sort((a, b) => String(a.routeKey).localeCompare(String(b.routeKey))),
    authorizers: authorizers.map((a) => ({
      name: a.name,
      type: a.authorizerType,
      identitySource: a.identitySource,
      // The audience is this deployment's own client, the issuer its own pool.
      audienceIsTheClient: JSON.stringify(jwt(a).audience) === JSON.stringify([clientId]),
      issuerIsThePool: jwt(a).issuer === `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`,
    })),
    integrations: integrations.map((i) => ({
      type: i.integrationType,
      payloadFormatVersion: i.payloadFormatVersion,
      function: /:function:([^/:]+)/.exec(String(i.integrationUri))?.[1],
    })),
    stages: stages.map((s) => ({
      name: s.stageName,
      autoDeploy: s.autoDeploy,
      accessLogFormat: JSON.parse(String((s.accessLogSettings as Item | undefined)?.format ?? 'null')),
      // The group's name: CloudFormation's `Fn::GetAtt [Group, Arn]` ends with `:*`, Terraform's `arn` does not.
      accessLogGroup: /:log-group:(.+?)(?::\*)?$/.exec(
        String((s.accessLogSettings as Item)?.destinationArn),
      )?.[1],
    })),
    ids: { poolId, clientId, secret: client.ClientSecret as string },
  };
}

describe('IaC/ on an empty local cloud', () => {
  let tfCloud: RunningCloud;
  let cdkCloud: RunningCloud;
  let tf: TerraformDir;
  let base: string;
  const vars = () => ['-var', 's3_use_path_style=true', '-var', `function_zip=${join(base, 'function.zip')}`];

  beforeAll(async () => {
    requireTerraform();
    base = mkdtempSync(join(tmpdir(), 'gatehouse-iac-'));
    execFileSync(process.execPath, [
      join(root, 'scripts/build-function-zip.mjs'),
      join(base, 'function.zip'),
    ]);
    // The CDK stack (synthesized) and the empty cloud start together; Terraform applies meanwhile.
    const cdk = startLocalCloud(join(base, 'cdk'));
    tfCloud = await startLocalCloud(join(base, 'tf'), ['--empty']);
    tf = terraformDir(join(root, 'IaC'), tfCloud.endpoints.awsEndpoint);
    const applied = tf
      .ok(['init', '-no-color'])
      .then(() => tf.ok(['apply', '-auto-approve', '-no-color', ...vars()]));
    const [out] = await Promise.all([applied, cdk.then((c) => (cdkCloud = c))]);
    expect(out).toMatch(/Apply complete! Resources: 23 added/);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([tfCloud?.stop(), cdkCloud?.stop()]);
    if (base) rmSync(base, { recursive: true, force: true });
    if (tf) rmSync(resolve(tf.dir, '..'), { recursive: true, force: true });
  });

  it('serves the same routes, authorizer, stage, pool and client settings as the CDK stack', async () => {
    const [fromTf, fromCdk] = await Promise.all([snapshot(tfCloud), snapshot(cdkCloud)]);
    const { ids: _a, ...tfView } = fromTf;
    const { ids: _b, ...cdkView } = fromCdk;
    expect(tfView).toEqual(cdkView);
    expect(tfView.routes.map((r) => r.routeKey)).toEqual([
      'ANY /',
      'DELETE /person',
      'GET /person',
      'POST /person',
      'PUT /person',
    ]);
    expect(tfView.authorizers[0]).toMatchObject({ audienceIsTheClient: true, issuerIsThePool: true });
  });

  it('runs the demo: sign up, confirm with the emailed code, sign in, /person with the token', async () => {
    const { ids } = await snapshot(tfCloud);
    const out = await tf.outputs();
    const cognito = new CognitoIdentityProviderClient({
      endpoint: tfCloud.endpoints.awsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const email = 'terraform-demo@example.com';
    const password = 'Demo-Passw0rd!';
    const hash = secretHash(email, ids.clientId, ids.secret);
    await cognito.send(
      new SignUpCommand({
        ClientId: ids.clientId,
        Username: email,
        Password: password,
        SecretHash: hash,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const code = await latestCode(tfCloud.endpoints.inboxUrl, email);
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: ids.clientId,
        Username: email,
        ConfirmationCode: code,
        SecretHash: hash,
      }),
    );
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: ids.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash },
      }),
    );
    const token = auth.AuthenticationResult?.IdToken as string;
    expect((await fetch(`${out.api_endpoint}/person`)).status).toBe(401);
    const person = await fetch(`${out.api_endpoint}/person`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(person.status).toBe(200);
    const body = (await person.json()) as { message: string; caller: { email?: string } };
    expect(body.message).toBe('[GET METHOD]Hello,world');
    expect(JSON.stringify(body.caller)).toContain(email);
  });

  it('plans clean after apply and destroys everything', async () => {
    const plan = await tf.run(['plan', '-detailed-exitcode', '-no-color', ...vars()]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const destroyed = await tf.ok(['destroy', '-auto-approve', '-no-color', ...vars()]);
    expect(destroyed).toMatch(/Destroy complete! Resources: 23 destroyed\./);
  }, 120_000);
});
