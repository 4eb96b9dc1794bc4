// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings use ${} on purpose; they are CloudFormation, not JavaScript
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadTopology,
  type Topology,
  type TopologyOptions,
  topologyFromTemplate,
  translateTemplate,
  userPoolClientId,
  userPoolId,
} from '../../src/services/cloudformation/index.js';
import { templateErrorOf } from './helpers.js';

const fixtureDir = join(import.meta.dirname, '..', 'fixtures', 'templates', 'triggers');
interface FixtureResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}
const fixture = JSON.parse(readFileSync(join(fixtureDir, 'TriggersStack.template.json'), 'utf8')) as {
  Resources: Record<string, FixtureResource>;
};
const opts: TopologyOptions = {
  stackName: 'TriggersStack',
  region: 'us-east-1',
  accountId: '000000000000',
  assetBaseDir: fixtureDir,
};
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The fixture template with `edit` applied to a deep copy. */
function edited(edit: (resources: (typeof fixture)['Resources']) => void): typeof fixture {
  const copy = structuredClone(fixture);
  edit(copy.Resources);
  return copy;
}

/** Sets (or, with undefined, deletes) a property of a resource, `path` leading through nested objects. */
function set(
  resources: Record<string, FixtureResource>,
  logicalId: string,
  path: string[],
  value: unknown,
): void {
  let node = resources[logicalId]?.Properties as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

const load = (): Topology =>
  loadTopology({ cdkOutDir: fixtureDir, region: 'us-east-1', accountId: '000000000000' });

describe('the CDK-synthesized triggers fixture', () => {
  const topology = load();
  const pool = topology.userPools[0];
  const api = topology.apis[0];
  const fnName = (logicalId: string) => topology.functions.find((f) => f.logicalId === logicalId)?.name;

  it('has one user pool with its deterministic id and name', () => {
    expect(topology.userPools).toHaveLength(1);
    expect(pool?.logicalId).toBe('PoolD3F588B8');
    expect(pool?.id).toBe(userPoolId('us-east-1', 'TriggersStack', 'PoolD3F588B8'));
    expect(pool?.name).toBe('triggers-pool');
    expect(pool?.properties.UsernameAttributes).toEqual(['email']);
  });

  it('maps the pool’s LambdaConfig to function names of the topology', () => {
    expect(pool?.triggers).toEqual({
      PreSignUp: fnName('PreSignUpFn7227C88E'),
      PostConfirmation: fnName('PreSignUpFn7227C88E'),
      CustomMessage: fnName('PreSignUpFn7227C88E'),
      PreTokenGeneration: 'gatehouse-pre-token',
    });
  });

  it('reads both app clients, resolving the resource server scope through Ref', () => {
    expect(pool?.clients.map((c) => c.logicalId)).toEqual(['PoolWeb224A1DFF', 'PoolMachine75D22E2D']);
    const [web, machine] = pool?.clients ?? [];
    expect(web?.id).toBe(userPoolClientId('TriggersStack', 'PoolWeb224A1DFF'));
    expect(web?.properties.CallbackURLs).toEqual(['http://localhost:3000/callback']);
    expect(web?.properties.UserPoolId).toBe(pool?.id);
    expect(machine?.properties.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(machine?.properties.AllowedOAuthScopes).toEqual(['orders/read']);
    expect(machine?.properties.GenerateSecret).toBe(true);
  });

  it('reads the domain prefix, the group and the resource server', () => {
    expect(pool?.domain).toEqual({ logicalId: 'PoolDomainCFC71F56', prefix: 'gatehouse-triggers' });
    expect(pool?.groups).toEqual([
      { logicalId: 'Admins', properties: { GroupName: 'admins', Precedence: 1, UserPoolId: pool?.id } },
    ]);
    expect(pool?.resourceServers[0]?.properties).toMatchObject({
      Identifier: 'orders',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    });
  });

  it('reads the functions with CloudFormation’s defaults and their asset directories', () => {
    expect(topology.functions.map((f) => f.logicalId)).toEqual([
      'PreSignUpFn7227C88E',
      'PreTokenFnC674ADAC',
      'ApiHandler5E7490E8',
    ]);
    const [preSignUp, preToken] = topology.functions;
    expect(preSignUp).toMatchObject({
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeout: 3,
      memorySize: 128,
    });
    expect(preSignUp?.name).toMatch(/^TriggersStack-PreSignUpFn7227C88E-[A-Za-z0-9]{12}$/);
    expect(preSignUp?.environment).toEqual({ STAGE: 'dev' });
    expect(preToken).toMatchObject({
      name: 'gatehouse-pre-token',
      timeout: 5,
      memorySize: 256,
      environment: {},
    });
    expect(preToken?.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:gatehouse-pre-token');
    for (const f of topology.functions) expect(existsSync(join(f.codeDir, 'index.mjs'))).toBe(true);
  });

  it('reads the HTTP API with its CORS configuration', () => {
    expect(api?.name).toBe('triggers-api');
    expect(api?.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api?.cors).toEqual({
      allowOrigins: ['http://localhost:3000'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 3600,
    });
  });

  it('reads the $default stage and a named stage with throttling, stage variables and an access log format', () => {
    expect(api?.stages).toEqual([
      {
        logicalId: 'ApiDefaultStage189A7074',
        name: '$default',
        autoDeploy: true,
        accessLogFormat: undefined,
        throttling: undefined,
        routeThrottling: {},
        stageVariables: {},
      },
      {
        logicalId: 'BetaC60672CA',
        name: 'beta',
        autoDeploy: true,
        accessLogFormat: '{"requestId":"$context.requestId","status":"$context.status"}',
        throttling: { burstLimit: 10, rateLimit: 5 },
        routeThrottling: { 'GET /health': { burstLimit: 2, rateLimit: 1 } },
        stageVariables: { env: 'beta' },
      },
    ]);
  });

  it('reads routes with their authorizer, scopes and integration as logical ids', () => {
    expect(api?.routes).toEqual([
      {
        logicalId: 'ApiANYordersproxy65B851C0',
        routeKey: 'ANY /orders/{proxy+}',
        authorizationType: 'JWT',
        authorizerLogicalId: 'ApiAuthz594D1CC2',
        authorizationScopes: ['orders/read'],
        integrationLogicalId: 'ApiANYordersproxyIntegF1F77D14',
      },
      {
        logicalId: 'ApiGETordersid99BB230B',
        routeKey: 'GET /orders/{id}',
        authorizationType: 'JWT',
        authorizerLogicalId: 'ApiAuthz594D1CC2',
        authorizationScopes: [],
        integrationLogicalId: 'ApiGETordersidSlowIntegFE528CCB',
      },
      {
        logicalId: 'ApiGEThealthA417CA46',
        routeKey: 'GET /health',
        authorizationType: 'NONE',
        authorizerLogicalId: undefined,
        authorizationScopes: [],
        integrationLogicalId: 'ApiANYordersproxyIntegF1F77D14',
      },
    ]);
  });

  it('reads the JWT authorizer with the issuer and audience resolved', () => {
    expect(api?.authorizers).toEqual([
      {
        logicalId: 'ApiAuthz594D1CC2',
        name: 'Authz',
        type: 'JWT',
        identitySource: ['$request.header.Authorization'],
        issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`,
        audience: pool?.clients.map((c) => c.id),
      },
    ]);
  });

  it('reads the Lambda integrations with their function, payload version and timeout', () => {
    const handler = fnName('ApiHandler5E7490E8');
    expect(
      api?.integrations.map((i) => [
        i.logicalId,
        i.type,
        i.functionName,
        i.payloadFormatVersion,
        i.timeoutMs,
      ]),
    ).toEqual([
      ['ApiANYordersproxyIntegF1F77D14', 'AWS_PROXY', handler, '2.0', 30000],
      ['ApiGETordersidSlowIntegFE528CCB', 'AWS_PROXY', handler, '2.0', 5000],
    ]);
  });

  it('resolves the authorizer’s issuer to the AWS issuer of the pool', () => {
    expect(api?.authorizers[0]?.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`);
  });

  it('has no warnings', () => {
    expect(topology.warnings).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same topology every time the same template is loaded', () => {
    expect(load()).toEqual(load());
  });

  it('gives another stack name different pool, client, API and function ids', () => {
    const a = topologyFromTemplate(fixture, opts);
    const b = topologyFromTemplate(fixture, { ...opts, stackName: 'Other' });
    expect(b.userPools[0]?.id).not.toBe(a.userPools[0]?.id);
    expect(b.userPools[0]?.clients[0]?.id).not.toBe(a.userPools[0]?.clients[0]?.id);
    expect(b.apis[0]?.id).not.toBe(a.apis[0]?.id);
    expect(b.functions[0]?.name).not.toBe(a.functions[0]?.name);
    // An explicit FunctionName does not depend on the stack.
    expect(b.functions[1]?.name).toBe('gatehouse-pre-token');
  });
});

describe('resources the local cloud does not need', () => {
  it('ignores them, even when their properties could not be resolved', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Topic = { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::ImportValue': 'Elsewhere' } } };
        r.Vpc = {
          Type: 'AWS::EC2::Subnet',
          Properties: { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
        };
      }),
      opts,
    );
    expect(t.userPools).toHaveLength(1);
    expect(t.warnings).toEqual([]);
  });

  it('warns about Cognito features it does not emulate', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Google = {
          Type: 'AWS::Cognito::UserPoolIdentityProvider',
          Properties: { ProviderName: 'Google', UserPoolId: { Ref: 'PoolD3F588B8' } },
        };
      }),
      opts,
    );
    expect(t.warnings).toEqual([
      'Google (AWS::Cognito::UserPoolIdentityProvider): federated sign-in is not emulated',
    ]);
  });

  it('leaves out custom resource providers, which only run at deploy time, and warns about the custom resource', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Cleanup = {
          Type: 'Custom::S3AutoDeleteObjects',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['PreSignUpFn7227C88E', 'Arn'] } },
        };
        r.Provider = {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: {
              S3Bucket: 'b',
              S3Key: 'e5a6dc0ec479f1fb28250743e4262dd19519c9f3c69ac34160204ac8c3410298.zip',
            },
            Handler: 'index.handler',
            Runtime: 'nodejs22.x',
          },
        };
        r.Cleanup2 = {
          Type: 'AWS::CloudFormation::CustomResource',
          Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } },
        };
      }),
      opts,
    );
    // PreSignUpFn is also a trigger, so it stays; Provider serves only the custom resource.
    expect(t.functions.map((f) => f.logicalId)).toEqual([
      'PreSignUpFn7227C88E',
      'PreTokenFnC674ADAC',
      'ApiHandler5E7490E8',
    ]);
    expect(t.warnings).toEqual([
      'Cleanup (Custom::S3AutoDeleteObjects): custom resources are not run locally',
      'Cleanup2 (AWS::CloudFormation::CustomResource): custom resources are not run locally',
    ]);
  });

  it('leaves out resources whose condition is false', () => {
    const template = {
      ...edited((r) => {
        const route = r.ApiGEThealthA417CA46;
        if (route) route.Condition = 'WithHealth';
      }),
      Parameters: { Health: { Type: 'String', Default: 'no' } },
      Conditions: { WithHealth: { 'Fn::Equals': [{ Ref: 'Health' }, 'yes'] } },
    };
    expect(topologyFromTemplate(template, opts).apis[0]?.routes.map((r) => r.routeKey)).toEqual([
      'ANY /orders/{proxy+}',
      'GET /orders/{id}',
    ]);
    const withHealth = topologyFromTemplate(template, { ...opts, parameters: { Health: 'yes' } });
    expect(withHealth.apis[0]?.routes).toHaveLength(3);
  });
});

describe('function code', () => {
  it('falls back to the asset.<hash> directory of a CDK S3 key when the asset metadata is absent', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        delete r.ApiHandler5E7490E8?.Metadata;
      }),
      opts,
    );
    expect(t.functions[2]?.codeDir).toBe(
      join(fixtureDir, 'asset.e5a6dc0ec479f1fb28250743e4262dd19519c9f3c69ac34160204ac8c3410298'),
    );
  });

  it('writes inline ZipFile code to index.js in a directory of its own', () => {
    const inlineCodeDir = mkdtempSync(join(tmpdir(), 'gatehouse-inline-test-'));
    tempDirs.push(inlineCodeDir);
    const source = 'exports.handler = async () => ({ statusCode: 200, body: "inline" });';
    const t = topologyFromTemplate(
      edited((r) => {
        r.Inline = {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: source }, Handler: 'index.handler', Runtime: 'nodejs20.x' },
        };
      }),
      { ...opts, inlineCodeDir },
    );
    const inline = t.functions.find((f) => f.logicalId === 'Inline');
    expect(inline?.codeDir.startsWith(inlineCodeDir)).toBe(true);
    expect(readFileSync(join(inline?.codeDir ?? '', 'index.js'), 'utf8')).toBe(source);
  });

  it('translates a template without writing anything: inline code comes back as files to write', () => {
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-inline-test-'));
    tempDirs.push(root);
    const inlineCodeDir = join(root, 'never-created');
    const source = 'exports.handler = async () => ({ statusCode: 200 });';
    const { topology, inlineCode } = translateTemplate(
      edited((r) => {
        r.Inline = {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { ZipFile: source }, Handler: 'index.handler', Runtime: 'nodejs20.x' },
        };
      }),
      { ...opts, inlineCodeDir },
    );
    const inline = topology.functions.find((f) => f.logicalId === 'Inline');
    expect(inlineCode).toEqual([{ dir: inline?.codeDir, file: 'index.js', source }]);
    expect(existsSync(inlineCodeDir)).toBe(false);
  });

  it('reports inline code in a runtime it cannot name the file for, naming the function', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited((r) => {
          r.Inline = {
            Type: 'AWS::Lambda::Function',
            Properties: { Code: { ZipFile: 'class X {}' }, Handler: 'X::handle', Runtime: 'java21' },
          };
        }),
        opts,
      ),
    );
    expect(err.logicalId).toBe('Inline');
    expect(err.message).toBe(
      'Resource Inline (AWS::Lambda::Function): inline Code.ZipFile is only supported for nodejs and python runtimes, not java21',
    );
  });

  it('reports a missing asset directory, naming the function and telling how to get it', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited(() => {}),
        { ...opts, assetBaseDir: join(fixtureDir, 'nowhere') },
      ),
    );
    expect(err.logicalId).toBe('PreSignUpFn7227C88E');
    expect(err.message).toMatch(
      /^Resource PreSignUpFn7227C88E \(AWS::Lambda::Function\): its code directory .* does not exist; run `npm run synth`$/,
    );
  });

  it('reports a container image function', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited((r) => {
          r.Image = {
            Type: 'AWS::Lambda::Function',
            Properties: { PackageType: 'Image', Code: { ImageUri: 'x' } },
          };
        }),
        opts,
      ),
    );
    expect(err.message).toBe(
      'Resource Image (AWS::Lambda::Function): container image functions are not supported locally; use a zip (asset) function',
    );
  });

  it('warns about an environment variable with no local value but still loads the function', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        set(r, 'ApiHandler5E7490E8', ['Environment'], {
          Variables: { SECRET: { 'Fn::GetAtt': ['PoolMachine75D22E2D', 'ClientSecret'] }, N: 1 },
        });
      }),
      opts,
    );
    expect(t.functions[2]?.environment.N).toBe('1');
    expect(t.warnings).toEqual([
      'ApiHandler5E7490E8: environment variable SECRET has no local value ({{gatehouse:unresolved:PoolMachine75D22E2D.ClientSecret}})',
    ]);
  });
});

describe('resources it needs but cannot interpret are errors naming them', () => {
  const cases: {
    name: string;
    edit: (r: (typeof fixture)['Resources']) => void;
    logicalId: string;
    message: string;
  }[] = [
    {
      name: 'a route whose target is not an integration of its API',
      edit: (r) => {
        set(r, 'ApiGEThealthA417CA46', ['Target'], 'integrations/abc1234');
      },
      logicalId: 'ApiGEThealthA417CA46',
      message: 'Target integrations/abc1234 is not an integration of ApiF70053CD',
    },
    {
      name: 'an integration whose function is not in the stack',
      edit: (r) => {
        set(
          r,
          'ApiANYordersproxyIntegF1F77D14',
          ['IntegrationUri'],
          'arn:aws:lambda:us-east-1:000000000000:function:elsewhere',
        );
      },
      logicalId: 'ApiANYordersproxyIntegF1F77D14',
      message: 'IntegrationUri refers to function elsewhere, which is not a function of this stack',
    },
    {
      name: 'a Lambda integration with no payload format version',
      edit: (r) => {
        set(r, 'ApiANYordersproxyIntegF1F77D14', ['PayloadFormatVersion'], undefined);
      },
      logicalId: 'ApiANYordersproxyIntegF1F77D14',
      message: 'PayloadFormatVersion is required for Lambda proxy integrations',
    },
    {
      name: 'a client of a pool that is not in the stack',
      edit: (r) => {
        set(r, 'PoolWeb224A1DFF', ['UserPoolId'], 'us-east-1_elsewhere');
      },
      logicalId: 'PoolWeb224A1DFF',
      message: 'UserPoolId us-east-1_elsewhere is not a user pool of this stack',
    },
    {
      name: 'a trigger whose function is not in the stack',
      edit: (r) => {
        set(
          r,
          'PoolD3F588B8',
          ['LambdaConfig', 'PreSignUp'],
          'arn:aws:lambda:us-east-1:000000000000:function:elsewhere',
        );
      },
      logicalId: 'PoolD3F588B8',
      message: 'LambdaConfig.PreSignUp refers to function elsewhere, which is not a function of this stack',
    },
    {
      name: 'a WebSocket API',
      edit: (r) => {
        set(r, 'ApiF70053CD', ['ProtocolType'], 'WEBSOCKET');
      },
      logicalId: 'ApiF70053CD',
      message: 'ProtocolType WEBSOCKET is not supported; only HTTP APIs are',
    },
    {
      name: 'a JWT authorizer without JwtConfiguration',
      edit: (r) => {
        set(r, 'ApiAuthz594D1CC2', ['JwtConfiguration'], undefined);
      },
      logicalId: 'ApiAuthz594D1CC2',
      message: 'JwtConfiguration is required for a JWT authorizer',
    },
    {
      name: 'an authorizer issuer imported from another stack',
      edit: (r) => {
        set(r, 'ApiAuthz594D1CC2', ['JwtConfiguration', 'Issuer'], { 'Fn::ImportValue': 'Shared:Issuer' });
      },
      logicalId: 'ApiAuthz594D1CC2',
      message:
        'Fn::ImportValue is not supported locally: it reads another stack’s exports; deploy a single stack',
    },
    {
      name: 'an authorizer audience that has no local value',
      edit: (r) => {
        set(
          r,
          'ApiAuthz594D1CC2',
          ['JwtConfiguration', 'Audience'],
          [{ 'Fn::GetAtt': ['PoolWeb224A1DFF', 'ClientSecret'] }],
        );
      },
      logicalId: 'ApiAuthz594D1CC2',
      message:
        'JwtConfiguration.Audience depends on PoolWeb224A1DFF.ClientSecret, which has no value outside AWS',
    },
    {
      name: 'two routes with the same key',
      edit: (r) => {
        set(r, 'ApiGEThealthA417CA46', ['RouteKey'], 'GET /orders/{id}');
      },
      logicalId: 'ApiGEThealthA417CA46',
      message: 'RouteKey GET /orders/{id} is also the key of ApiGETordersid99BB230B',
    },
    {
      name: 'a malformed route key',
      edit: (r) => {
        set(r, 'ApiGEThealthA417CA46', ['RouteKey'], 'get health');
      },
      logicalId: 'ApiGEThealthA417CA46',
      message: 'RouteKey get health must be "$default" or "METHOD /path"',
    },
    {
      name: 'a JWT route without an authorizer',
      edit: (r) => {
        set(r, 'ApiGETordersid99BB230B', ['AuthorizerId'], undefined);
      },
      logicalId: 'ApiGETordersid99BB230B',
      message: 'AuthorizationType JWT needs an AuthorizerId',
    },
    {
      name: 'a stage of an API that is not in the stack',
      edit: (r) => {
        set(r, 'BetaC60672CA', ['ApiId'], 'abcdefghij');
      },
      logicalId: 'BetaC60672CA',
      message: 'ApiId abcdefghij is not an HTTP API of this stack',
    },
    {
      name: 'a function without a handler',
      edit: (r) => {
        set(r, 'ApiHandler5E7490E8', ['Handler'], undefined);
      },
      logicalId: 'ApiHandler5E7490E8',
      message: 'Handler must be a non-empty string',
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const err = templateErrorOf(() => topologyFromTemplate(edited(c.edit), opts));
      expect(err.logicalId).toBe(c.logicalId);
      expect(err.message).toBe(
        `Resource ${c.logicalId} (${fixture.Resources[c.logicalId]?.Type}): ${c.message}`,
      );
    });
  }

  it('reports a resource without a Type', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate(
        edited((r) => {
          (r as Record<string, unknown>).Broken = { Properties: {} };
        }),
        opts,
      ),
    );
    expect(err.message).toBe('Resource Broken has no Type');
  });

  it('reports a template that needs a transform', () => {
    const err = templateErrorOf(() =>
      topologyFromTemplate({ ...fixture, Transform: 'AWS::Serverless-2016-10-31' }, opts),
    );
    expect(err.message).toBe(
      'The template uses Transform "AWS::Serverless-2016-10-31", which the local cloud cannot expand',
    );
  });

  it('reports a template without Resources', () => {
    expect(templateErrorOf(() => topologyFromTemplate({}, opts)).message).toBe(
      'The template has no Resources section',
    );
  });
});

describe('other forms CloudFormation allows', () => {
  it('maps the V2 PreTokenGenerationConfig to the PreTokenGeneration trigger', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        set(r, 'PoolD3F588B8', ['LambdaConfig', 'PreTokenGeneration'], undefined);
        set(r, 'PoolD3F588B8', ['LambdaConfig', 'PreTokenGenerationConfig'], {
          LambdaArn: { 'Fn::GetAtt': ['PreTokenFnC674ADAC', 'Arn'] },
          LambdaVersion: 'V2_0',
        });
      }),
      opts,
    );
    expect(t.userPools[0]?.triggers.PreTokenGeneration).toBe('gatehouse-pre-token');
    expect(t.userPools[0]?.properties.LambdaConfig).toMatchObject({
      PreTokenGenerationConfig: { LambdaVersion: 'V2_0' },
    });
  });

  it('reads a Lambda integration written as an API Gateway invocation ARN', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        set(r, 'ApiANYordersproxyIntegF1F77D14', ['IntegrationUri'], {
          'Fn::Sub':
            'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ApiHandler5E7490E8.Arn}/invocations',
        });
      }),
      opts,
    );
    expect(t.apis[0]?.integrations[0]?.functionName).toBe(t.functions[2]?.name);
  });

  it('reads an HTTP proxy integration and a Lambda (REQUEST) authorizer', () => {
    const t = topologyFromTemplate(
      edited((r) => {
        r.Proxy = {
          Type: 'AWS::ApiGatewayV2::Integration',
          Properties: {
            ApiId: { Ref: 'ApiF70053CD' },
            IntegrationType: 'HTTP_PROXY',
            IntegrationUri: 'https://example.com/{proxy}',
            IntegrationMethod: 'ANY',
            PayloadFormatVersion: '1.0',
          },
        };
        r.LambdaAuthz = {
          Type: 'AWS::ApiGatewayV2::Authorizer',
          Properties: {
            ApiId: { Ref: 'ApiF70053CD' },
            AuthorizerType: 'REQUEST',
            Name: 'lambda-authz',
            IdentitySource: ['$request.header.X-Key'],
            AuthorizerUri: { 'Fn::GetAtt': ['ApiHandler5E7490E8', 'Arn'] },
          },
        };
      }),
      opts,
    );
    const api = t.apis[0];
    expect(api?.integrations[2]).toEqual({
      logicalId: 'Proxy',
      type: 'HTTP_PROXY',
      functionName: undefined,
      payloadFormatVersion: '1.0',
      timeoutMs: 30000,
      uri: 'https://example.com/{proxy}',
      method: 'ANY',
    });
    expect(api?.authorizers[1]).toMatchObject({
      type: 'REQUEST',
      functionName: t.functions[2]?.name,
      issuer: '',
    });
  });
});
