/**
 * AWS::ApiGatewayV2::Api, Stage, Route, Integration and Authorizer made by a stack are API Gateway's own: the engine
 * creates each one through the operations CreateApi, CreateRoute... run, under the ids `Ref` gives, so the control
 * plane reads them back as the template describes them and the gateway serves them. An update changes exactly the
 * property it changes, kill -9 and a restart serve them unchanged, a refused resource rolls the stack back with API
 * Gateway's message, and a deleted stack takes its API with it and leaves the APIs made through the API alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { type RunningCloud, startLocalCloud } from '../helpers/local-cloud.js';
import { type Clients, clients } from '../project/support/controlPlane.js';

const STACK = 'HttpApiStack';
const LOG_GROUP = '/stack/http-api/access';
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example01';
const wait = { maxWaitTime: 120, minDelay: 1, maxDelay: 1 };
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

const integrationTarget = { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] };

/** A function behind an HTTP API with CORS, a JWT authorizer, two routes and an AutoDeploy stage that logs. */
function template(o: { openRoute?: string; audience?: string[] } = {}): string {
  return JSON.stringify({
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'stack-api-fn',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/stack-api-fn',
          Code: {
            ZipFile:
              'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ route: e.routeKey, version: e.version }) });',
          },
        },
      },
      AccessLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: LOG_GROUP } },
      Api: {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: {
          Name: 'stack-api',
          ProtocolType: 'HTTP',
          Description: 'made by a stack',
          CorsConfiguration: {
            AllowOrigins: ['https://app.example.com'],
            AllowMethods: ['GET'],
            AllowHeaders: ['authorization'],
            MaxAge: 300,
          },
          Tags: { team: 'core' },
        },
      },
      Integration: {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: 'Api' },
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] },
          PayloadFormatVersion: '2.0',
        },
      },
      Authorizer: {
        Type: 'AWS::ApiGatewayV2::Authorizer',
        Properties: {
          ApiId: { Ref: 'Api' },
          Name: 'jwt',
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Issuer: ISSUER, Audience: o.audience ?? ['client-a'] },
        },
      },
      Open: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          ApiId: { Ref: 'Api' },
          RouteKey: o.openRoute ?? 'GET /hello',
          Target: integrationTarget,
        },
      },
      Secure: {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          ApiId: { Ref: 'Api' },
          RouteKey: 'GET /secure',
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: 'Authorizer' },
          Target: integrationTarget,
        },
      },
      Stage: {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: {
          ApiId: { Ref: 'Api' },
          StageName: '$default',
          AutoDeploy: true,
          AccessLogSettings: {
            DestinationArn: { 'Fn::GetAtt': ['AccessLogs', 'Arn'] },
            Format: '$context.routeKey $context.status',
          },
          DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100 },
        },
      },
    },
  });
}

type Json = Record<string, unknown>;
const byKey = (key: string) => (a: Json, b: Json) => String(a[key]).localeCompare(String(b[key]));

/** The API with every part, as API Gateway's control plane returns them. */
async function readApi(c: Clients, apiId: string) {
  const items = async (part: string, key: string) => {
    const r = await c.apigw('GET', `/v2/apis/${apiId}/${part}`);
    expect(r.status).toBe(200);
    return (r.json.items as Json[]).sort(byKey(key));
  };
  const api = await c.apigw('GET', `/v2/apis/${apiId}`);
  return {
    status: api.status,
    api: api.json,
    routes: await items('routes', 'routeKey'),
    integrations: await items('integrations', 'integrationId'),
    authorizers: await items('authorizers', 'authorizerId'),
    stages: await items('stages', 'stageName'),
  };
}

/** A stage without what its automatic deployments change. */
const withoutDeployment = ({
  deploymentId: _,
  lastUpdatedDate: __,
  lastDeploymentStatusMessage: ___,
  ...s
}: Json) => s;

async function physicalIds(cfn: CloudFormationClient): Promise<Record<string, string>> {
  const r = await cfn.send(new ListStackResourcesCommand({ StackName: STACK }));
  return Object.fromEntries(
    (r.StackResourceSummaries ?? []).map((s) => [s.LogicalResourceId, s.PhysicalResourceId as string]),
  );
}

describe('AWS::ApiGatewayV2 resources of a stack', () => {
  it('are API Gateway’s own: read back as made, updated in place, kept across kill -9, deleted with the stack', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cfn-apigw-'));
    let cloud: RunningCloud | undefined;
    let c: Clients | undefined;
    let cfn: CloudFormationClient | undefined;
    let logs: CloudWatchLogsClient | undefined;
    const connect = (r: RunningCloud) => {
      c = clients(r.endpoints.awsEndpoint);
      cfn = new CloudFormationClient({ endpoint: r.endpoints.awsEndpoint, region: 'us-east-1', credentials });
      logs = new CloudWatchLogsClient({
        endpoint: r.endpoints.awsEndpoint,
        region: 'us-east-1',
        credentials,
      });
      return { c, cfn, logs };
    };
    const disconnect = () => {
      c?.destroy();
      cfn?.destroy();
      logs?.destroy();
    };
    try {
      cloud = await startLocalCloud(dataDir, ['--empty']);
      let s = connect(cloud);
      // An API made through the API before the stack: the stack never touches it.
      const mine = await s.c.apigw('POST', '/v2/apis', { name: 'mine', protocolType: 'HTTP' });
      const mineId = mine.json.apiId as string;

      await s.cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody: template() }));
      await waitUntilStackCreateComplete({ client: s.cfn, ...wait }, { StackName: STACK });
      const ids = await physicalIds(s.cfn);
      const apiId = ids.Api as string;
      const made = await readApi(s.c, apiId);

      // Each resource is the service's, under the stack's physical id, with the template's properties.
      expect(made.api).toMatchObject({
        apiId,
        name: 'stack-api',
        protocolType: 'HTTP',
        description: 'made by a stack',
        corsConfiguration: {
          allowOrigins: ['https://app.example.com'],
          allowMethods: ['GET'],
          allowHeaders: ['authorization'],
          maxAge: 300,
        },
        tags: { team: 'core' },
      });
      expect(made.integrations).toEqual([
        expect.objectContaining({
          integrationId: ids.Integration,
          integrationType: 'AWS_PROXY',
          integrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:stack-api-fn',
          payloadFormatVersion: '2.0',
        }),
      ]);
      expect(made.authorizers).toEqual([
        expect.objectContaining({
          authorizerId: ids.Authorizer,
          authorizerType: 'JWT',
          identitySource: ['$request.header.Authorization'],
          jwtConfiguration: { issuer: ISSUER, audience: ['client-a'] },
        }),
      ]);
      expect(
        made.routes.map((r) => [r.routeId, r.routeKey, r.authorizationType, r.authorizerId, r.target]),
      ).toEqual([
        [ids.Open, 'GET /hello', 'NONE', undefined, `integrations/${ids.Integration}`],
        [ids.Secure, 'GET /secure', 'JWT', ids.Authorizer, `integrations/${ids.Integration}`],
      ]);
      expect(ids.Stage).toBe('$default');
      expect(made.stages).toEqual([
        expect.objectContaining({
          stageName: '$default',
          autoDeploy: true,
          accessLogSettings: {
            destinationArn: expect.stringContaining(`:log-group:${LOG_GROUP}`),
            format: '$context.routeKey $context.status',
          },
          defaultRouteSettings: expect.objectContaining({
            throttlingBurstLimit: 50,
            throttlingRateLimit: 100,
          }),
          deploymentId: expect.any(String),
        }),
      ]);

      // The AutoDeploy stage serves it: the Lambda integration (payload 2.0), the JWT authorizer, CORS, access logs.
      const url = made.api.apiEndpoint as string;
      const hello = await fetch(`${url}/hello`, { headers: { origin: 'https://app.example.com' } });
      expect(hello.status).toBe(200);
      expect(await hello.json()).toEqual({ route: 'GET /hello', version: '2.0' });
      expect(hello.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect((await fetch(`${url}/secure`)).status).toBe(401);
      let logged: string[] = [];
      for (let i = 0; i < 100 && !logged.includes('GET /hello 200'); i++) {
        const events = await s.logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP }));
        logged = (events.events ?? []).map((e) => e.message ?? '');
        if (!logged.includes('GET /hello 200')) await delay(50);
      }
      expect(logged).toContain('GET /hello 200');

      // An update of one property of one route changes exactly that route, in place, and redeploys the stage.
      await s.cfn.send(
        new UpdateStackCommand({ StackName: STACK, TemplateBody: template({ openRoute: 'GET /hi' }) }),
      );
      await waitUntilStackUpdateComplete({ client: s.cfn, ...wait }, { StackName: STACK });
      expect(await physicalIds(s.cfn)).toEqual(ids);
      const updated = await readApi(s.c, apiId);
      const open = (x: typeof made) => x.routes.find((r) => r.routeId === ids.Open);
      expect(open(updated)).toEqual({ ...open(made), routeKey: 'GET /hi' });
      const rest = (x: typeof made) => ({
        ...x,
        routes: x.routes.filter((r) => r.routeId !== ids.Open),
        stages: x.stages.map(withoutDeployment),
      });
      expect(rest(updated)).toEqual(rest(made));
      expect(updated.stages[0]?.deploymentId).not.toBe(made.stages[0]?.deploymentId);
      expect((await fetch(`${url}/hi`)).status).toBe(200);
      expect((await fetch(`${url}/hello`)).status).toBe(404);

      // kill -9 and a restart: the same API, every part and deployment identical, and still served.
      disconnect();
      expect(await cloud.stop('SIGKILL')).toBeNull();
      rmSync(join(dataDir, 'endpoints.json'), { force: true });
      cloud = await startLocalCloud(dataDir, ['--empty']);
      s = connect(cloud);
      const restarted = await readApi(s.c, apiId);
      expect({ ...restarted, api: { ...restarted.api, apiEndpoint: 0 } }).toEqual({
        ...updated,
        api: { ...updated.api, apiEndpoint: 0 },
      });
      const url2 = restarted.api.apiEndpoint as string;
      expect(await (await fetch(`${url2}/hi`)).json()).toEqual({ route: 'GET /hi', version: '2.0' });
      expect(cloud.endpoints.apis).toContainEqual(
        expect.objectContaining({ logicalId: 'Api', name: 'stack-api' }),
      );

      // Deleting the stack deletes its API, and only its API.
      await s.cfn.send(new DeleteStackCommand({ StackName: STACK }));
      await waitUntilStackDeleteComplete({ client: s.cfn, ...wait }, { StackName: STACK });
      const gone = await s.c.apigw('GET', `/v2/apis/${apiId}`);
      expect(gone.status).toBe(404);
      expect(gone.json.message).toBe(`Invalid API identifier specified 000000000000:${apiId}`);
      expect((await s.c.apigw('GET', `/v2/apis/${mineId}`)).json).toMatchObject({
        apiId: mineId,
        name: 'mine',
      });
      expect((await s.c.apigw('GET', '/v2/apis')).json.items).toEqual([
        expect.objectContaining({ apiId: mineId }),
      ]);
    } finally {
      disconnect();
      await cloud?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('fails a part API Gateway refuses with its message and rolls back; a stage without AutoDeploy serves the stack as last changed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cfn-apigw-bad-'));
    let cloud: RunningCloud | undefined;
    let c: Clients | undefined;
    let cfn: CloudFormationClient | undefined;
    try {
      cloud = await startLocalCloud(dataDir, ['--empty']);
      c = clients(cloud.endpoints.awsEndpoint);
      cfn = new CloudFormationClient({
        endpoint: cloud.endpoints.awsEndpoint,
        region: 'us-east-1',
        credentials,
      });
      const body = JSON.stringify({
        Resources: {
          Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'refused', ProtocolType: 'HTTP' } },
          Route: {
            Type: 'AWS::ApiGatewayV2::Route',
            Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /x', Target: 'integrations/nothere' },
          },
        },
      });
      await cfn.send(new CreateStackCommand({ StackName: 'Refused', TemplateBody: body }));
      let status = '';
      for (let i = 0; i < 600 && !/COMPLETE$|FAILED$/.test(status); i++) {
        const d = await cfn.send(new DescribeStacksCommand({ StackName: 'Refused' }));
        status = d.Stacks?.[0]?.StackStatus ?? '';
        if (!/COMPLETE$|FAILED$/.test(status)) await delay(100);
      }
      expect(status).toBe('ROLLBACK_COMPLETE');
      const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'Refused' }));
      const failed = events.StackEvents?.find(
        (e) => e.LogicalResourceId === 'Route' && e.ResourceStatus === 'CREATE_FAILED',
      );
      expect(failed?.ResourceStatusReason).toBe(
        'Invalid target specified: integrations/nothere (Service: AmazonApiGatewayV2; Status Code: 400; Error Code: BadRequestException)',
      );
      expect((await c.apigw('GET', '/v2/apis')).json.items).toEqual([]);

      // A stage without AutoDeploy (and no Deployment resource) serves the routes as the stack last changed them.
      const manual = (routes: string[]) =>
        JSON.stringify({
          Resources: {
            Fn: JSON.parse(template()).Resources.Fn,
            Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'manual', ProtocolType: 'HTTP' } },
            Integration: JSON.parse(template()).Resources.Integration,
            ...Object.fromEntries(
              routes.map((key, i) => [
                `Route${i}`,
                {
                  Type: 'AWS::ApiGatewayV2::Route',
                  Properties: { ApiId: { Ref: 'Api' }, RouteKey: key, Target: integrationTarget },
                },
              ]),
            ),
            Stage: {
              Type: 'AWS::ApiGatewayV2::Stage',
              Properties: { ApiId: { Ref: 'Api' }, StageName: 'v1' },
            },
          },
        });
      await cfn.send(new CreateStackCommand({ StackName: 'Manual', TemplateBody: manual(['GET /x']) }));
      await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'Manual' });
      const apiId = (
        await cfn.send(new ListStackResourcesCommand({ StackName: 'Manual' }))
      ).StackResourceSummaries?.find((r) => r.LogicalResourceId === 'Api')?.PhysicalResourceId as string;
      const endpoint = (await c.apigw('GET', `/v2/apis/${apiId}`)).json.apiEndpoint as string;
      expect((await fetch(`${endpoint}/v1/x`)).status).toBe(200);
      expect((await fetch(`${endpoint}/v1/y`)).status).toBe(404);
      await cfn.send(
        new UpdateStackCommand({ StackName: 'Manual', TemplateBody: manual(['GET /x', 'GET /y']) }),
      );
      await waitUntilStackUpdateComplete({ client: cfn, ...wait }, { StackName: 'Manual' });
      expect(await (await fetch(`${endpoint}/v1/y`)).json()).toEqual({ route: 'GET /y', version: '2.0' });
    } finally {
      c?.destroy();
      cfn?.destroy();
      await cloud?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
