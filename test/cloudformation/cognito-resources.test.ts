/**
 * A stack's Cognito resources are the user pool service's own (issue 14): what CreateStack makes is what
 * DescribeUserPool, DescribeUserPoolClient, GetGroup, DescribeResourceServer and GetUICustomization answer; an
 * update that changes one property changes exactly that; a kill -9 and restart serve everything unchanged (ids and
 * the client secret included); a pool the stack lost is restored at start, and a replaced pool's dependents with
 * it; a delete removes what the stack made and leaves a pool made through the API alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetGroupCommand,
  GetUICustomizationCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import type { EndpointsFile } from '../../src/cli/endpoints.js';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';

const wait = { maxWaitTime: 120, minDelay: 1, maxDelay: 1 };
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
const STACK = 'cognito-stack';
const CSS = '.banner-customizable { background-color: #123456; }';

const template = (callback: string) =>
  JSON.stringify({
    Resources: {
      Pool: {
        Type: 'AWS::Cognito::UserPool',
        Properties: {
          UserPoolName: 'cfn-pool',
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          Policies: { PasswordPolicy: { MinimumLength: 10 } },
        },
      },
      Web: {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: {
          UserPoolId: { Ref: 'Pool' },
          ClientName: 'web',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          CallbackURLs: [callback],
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          AllowedOAuthFlowsUserPoolClient: true,
          SupportedIdentityProviders: ['COGNITO'],
        },
      },
      Domain: {
        Type: 'AWS::Cognito::UserPoolDomain',
        Properties: { UserPoolId: { Ref: 'Pool' }, Domain: 'cfn-cognito-test' },
      },
      Admins: {
        Type: 'AWS::Cognito::UserPoolGroup',
        Properties: { UserPoolId: { Ref: 'Pool' }, GroupName: 'admins', Precedence: 1 },
      },
      Api: {
        Type: 'AWS::Cognito::UserPoolResourceServer',
        Properties: {
          UserPoolId: { Ref: 'Pool' },
          Identifier: 'https://api.example.com',
          Name: 'api',
          Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read things' }],
        },
      },
      Look: {
        Type: 'AWS::Cognito::UserPoolUICustomizationAttachment',
        DependsOn: 'Domain',
        Properties: { UserPoolId: { Ref: 'Pool' }, ClientId: { Ref: 'Web' }, CSS },
      },
    },
    Outputs: { PoolId: { Value: { Ref: 'Pool' } }, ClientId: { Value: { Ref: 'Web' } } },
  });

let dir: string | undefined;
let cloud: RunningCloud | undefined;
const clients: { destroy(): void }[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  await cloud?.stop('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(
  dataDir: string,
): Promise<{ cfn: CloudFormationClient; idp: CognitoIdentityProviderClient }> {
  // kill -9 leaves the old endpoints.json behind; the start writes a new one.
  rmSync(join(dataDir, 'endpoints.json'), { force: true });
  cloud = await startLocalCloud(dataDir, ['--empty']);
  const endpoint = cloud.endpoints.awsEndpoint;
  const cfn = new CloudFormationClient({ endpoint, region: 'us-east-1', credentials });
  const idp = new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials });
  clients.push(cfn, idp);
  return { cfn, idp };
}

const outputs = async (cfn: CloudFormationClient) => {
  const s = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
  const get = (k: string) => s?.Outputs?.find((o) => o.OutputKey === k)?.OutputValue as string;
  return { poolId: get('PoolId'), clientId: get('ClientId') };
};

const describeClient = async (idp: CognitoIdentityProviderClient, poolId: string, clientId: string) =>
  (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })))
    .UserPoolClient as UserPoolClientType;

const withoutDates = <T extends object>(o: T) => {
  const { LastModifiedDate: _m, CreationDate: _c, ...rest } = o as Record<string, unknown>;
  return rest;
};

describe('AWS::Cognito::* through the user pool service', () => {
  it('creates, updates, survives kill -9, is restored, and deletes only what the stack made', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cfn-cognito-'));
    const dataDir = join(dir, 'data');
    let { cfn, idp } = await start(dataDir);

    // A pool made through the API, which no stack operation may touch.
    const own = (await idp.send(new CreateUserPoolCommand({ PoolName: 'made-by-hand' }))).UserPool
      ?.Id as string;

    await cfn.send(
      new CreateStackCommand({ StackName: STACK, TemplateBody: template('http://localhost:3000/cb') }),
    );
    await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: STACK });
    const { poolId, clientId } = await outputs(cfn);

    // The stack's resources are the service's own.
    const pool = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
    expect(pool?.Name).toBe('cfn-pool');
    expect(pool?.UsernameAttributes).toEqual(['email']);
    expect(pool?.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    expect(pool?.Domain).toBe('cfn-cognito-test');
    const client = await describeClient(idp, poolId, clientId);
    expect(client.ClientName).toBe('web');
    expect(client.ClientSecret).toMatch(/^[a-z0-9]{40,}$/);
    expect(client.CallbackURLs).toEqual(['http://localhost:3000/cb']);
    const group = (await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group;
    expect(group?.Precedence).toBe(1);
    const server = (
      await idp.send(
        new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }),
      )
    ).ResourceServer;
    expect(server?.Scopes).toEqual([{ ScopeName: 'read', ScopeDescription: 'Read things' }]);
    const ui = (await idp.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId })))
      .UICustomization;
    expect(ui?.CSS).toBe(CSS);
    const resources =
      (await cfn.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries ?? [];
    expect(resources.find((r) => r.LogicalResourceId === 'Web')?.PhysicalResourceId).toBe(clientId);
    // endpoints.json follows the stack operation, secret included.
    const file = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as EndpointsFile;
    const listed = file.userPools.find((p) => p.id === poolId);
    expect(listed?.clients).toEqual([
      expect.objectContaining({ logicalId: 'Web', id: clientId, secret: client.ClientSecret }),
    ]);
    expect(file.userPools.some((p) => p.id === own)).toBe(false);

    // An update of one property changes exactly that property.
    await cfn.send(
      new UpdateStackCommand({ StackName: STACK, TemplateBody: template('http://localhost:4000/cb') }),
    );
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: STACK });
    const updated = await describeClient(idp, poolId, clientId);
    expect(withoutDates(updated)).toEqual(
      withoutDates({ ...client, CallbackURLs: ['http://localhost:4000/cb'] }),
    );
    expect(await outputs(cfn)).toEqual({ poolId, clientId });

    // kill -9 and restart: served unchanged from the service's store, with nothing re-applied.
    expect(await cloud?.stop('SIGKILL')).toBeNull();
    ({ cfn, idp } = await start(dataDir));
    expect(await describeClient(idp, poolId, clientId)).toEqual(updated);
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain).toBe(
      'cfn-cognito-test',
    );
    expect(cloud?.endpoints.userPools.find((p) => p.id === poolId)?.clients[0]?.secret).toBe(
      updated.ClientSecret,
    );

    // A live stack's pool missing from the service (a data dir from before) is created again at start, same ids.
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect(await cloud?.stop('SIGKILL')).toBeNull();
    ({ cfn, idp } = await start(dataDir));
    const restored = await describeClient(idp, poolId, clientId);
    expect(restored.CallbackURLs).toEqual(['http://localhost:4000/cb']);
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.Domain).toBe(
      'cfn-cognito-test',
    );

    // A replaced pool keeps its id locally, so its dependents are not in the change set: they are created again.
    const replaced = JSON.parse(template('http://localhost:4000/cb')) as {
      Resources: { Pool: { Properties: Record<string, unknown> } };
    };
    delete replaced.Resources.Pool.Properties.UsernameAttributes;
    await cfn.send(new UpdateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(replaced) }));
    await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: STACK });
    const after = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool;
    expect(after?.UsernameAttributes).toBeUndefined();
    expect(after?.Domain).toBe('cfn-cognito-test');
    expect((await describeClient(idp, poolId, clientId)).CallbackURLs).toEqual(['http://localhost:4000/cb']);
    expect(
      (await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group?.Precedence,
    ).toBe(1);

    // Delete: the stack's pool (with its domain) goes; the pool made through the API stays.
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: STACK });
    await expect(idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const domain = await idp.send(new DescribeUserPoolDomainCommand({ Domain: 'cfn-cognito-test' }));
    expect(domain.DomainDescription?.UserPoolId).toBeUndefined();
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: own }))).UserPool?.Name).toBe(
      'made-by-hand',
    );
  }, 300_000);
});
