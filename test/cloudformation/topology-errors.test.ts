// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings use ${} on purpose; they are CloudFormation, not JavaScript
import { describe, expect, it } from 'vitest';
import { topologyFromTemplate } from '../../src/services/cloudformation/index.js';
import { templateErrorOf } from './helpers.js';
import { edited, fixture, opts, set } from './support/topology.js';

describe('resources it needs but cannot interpret are errors naming them', () => {
  /** Each case edits one property: [what, logical id, property path, new value (undefined removes it), message]. */
  const cases: [string, string, string[], unknown, string][] = [
    [
      'a route whose target is not an integration of its API',
      'ApiGEThealthA417CA46',
      ['Target'],
      'integrations/abc1234',
      'Target integrations/abc1234 is not an integration of ApiF70053CD',
    ],
    [
      'an integration whose function is not in the stack',
      'ApiANYordersproxyIntegF1F77D14',
      ['IntegrationUri'],
      'arn:aws:lambda:us-east-1:000000000000:function:elsewhere',
      'IntegrationUri refers to function elsewhere, which is not a function of this stack',
    ],
    [
      'a Lambda integration with no payload format version',
      'ApiANYordersproxyIntegF1F77D14',
      ['PayloadFormatVersion'],
      undefined,
      'PayloadFormatVersion is required for Lambda proxy integrations',
    ],
    [
      'a client of a pool that is not in the stack',
      'PoolWeb224A1DFF',
      ['UserPoolId'],
      'us-east-1_elsewhere',
      'UserPoolId us-east-1_elsewhere is not a user pool of this stack',
    ],
    [
      'a trigger whose function is not in the stack',
      'PoolD3F588B8',
      ['LambdaConfig', 'PreSignUp'],
      'arn:aws:lambda:us-east-1:000000000000:function:elsewhere',
      'LambdaConfig.PreSignUp refers to function elsewhere, which is not a function of this stack',
    ],
    [
      'a WebSocket API',
      'ApiF70053CD',
      ['ProtocolType'],
      'WEBSOCKET',
      'ProtocolType WEBSOCKET is not supported; only HTTP APIs are',
    ],
    [
      'a JWT authorizer without JwtConfiguration',
      'ApiAuthz594D1CC2',
      ['JwtConfiguration'],
      undefined,
      'JwtConfiguration is required for a JWT authorizer',
    ],
    [
      'an authorizer issuer imported from another stack',
      'ApiAuthz594D1CC2',
      ['JwtConfiguration', 'Issuer'],
      { 'Fn::ImportValue': 'Shared:Issuer' },
      'Fn::ImportValue is not supported locally: it reads another stack’s exports; deploy a single stack',
    ],
    [
      'an authorizer audience that has no local value',
      'ApiAuthz594D1CC2',
      ['JwtConfiguration', 'Audience'],
      [{ 'Fn::GetAtt': ['PoolWeb224A1DFF', 'ClientSecret'] }],
      'JwtConfiguration.Audience depends on PoolWeb224A1DFF.ClientSecret, which has no value outside AWS',
    ],
    [
      'two routes with the same key',
      'ApiGEThealthA417CA46',
      ['RouteKey'],
      'GET /orders/{id}',
      'RouteKey GET /orders/{id} is also the key of ApiGETordersid99BB230B',
    ],
    [
      'a malformed route key',
      'ApiGEThealthA417CA46',
      ['RouteKey'],
      'get health',
      'RouteKey get health must be "$default" or "METHOD /path"',
    ],
    [
      'a JWT route without an authorizer',
      'ApiGETordersid99BB230B',
      ['AuthorizerId'],
      undefined,
      'AuthorizationType JWT needs an AuthorizerId',
    ],
    [
      'a stage of an API that is not in the stack',
      'BetaC60672CA',
      ['ApiId'],
      'abcdefghij',
      'ApiId abcdefghij is not an HTTP API of this stack',
    ],
    [
      'a function without a handler',
      'ApiHandler5E7490E8',
      ['Handler'],
      undefined,
      'Handler must be a non-empty string',
    ],
  ];

  for (const [name, logicalId, path, value, message] of cases) {
    it(`reports ${name}`, () => {
      const err = templateErrorOf(() =>
        topologyFromTemplate(
          edited((r) => set(r, logicalId, path, value)),
          opts,
        ),
      );
      expect(err.logicalId).toBe(logicalId);
      expect(err.message).toBe(`Resource ${logicalId} (${fixture.Resources[logicalId]?.Type}): ${message}`);
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
