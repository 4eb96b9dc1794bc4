import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STACK_CONFIG, type StackConfig } from './config.js';
import { ACCESS_LOG_FIELDS, GatehouseStack } from './stack.js';

/** Bundling is skipped: these tests read the template, and esbuild would add seconds per stack. */
function synth(overrides: Partial<StackConfig> = {}): { stack: GatehouseStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = { ...DEFAULT_STACK_CONFIG, ...overrides };
  const stack = new GatehouseStack(app, config.stackName, { config });
  return { stack, template: Template.fromStack(stack) };
}

function logicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** The properties of the one resource of a type. */
function onlyProps<T>(template: Template, type: string): T {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return (resources[0] as { Properties: T }).Properties;
}

describe('GatehouseStack', () => {
  let template: Template;
  let poolId: string;
  let clientId: string;

  beforeAll(() => {
    ({ template } = synth());
    poolId = logicalId(template, 'AWS::Cognito::UserPool');
    clientId = logicalId(template, 'AWS::Cognito::UserPoolClient');
  });

  it('creates exactly the resources of the original Terraform, plus the artifact bucket', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 5);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    // The app function plus CDK's auto-delete-objects provider; one invoke permission per route.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::Lambda::Permission', 5);
  });

  describe('user pool', () => {
    it('uses email as the auto-verified, required username', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Schema: Match.arrayWith([Match.objectLike({ Name: 'email', Required: true })]),
      });
    });

    it('verifies by code with the original message', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        VerificationMessageTemplate: Match.objectLike({
          DefaultEmailOption: 'CONFIRM_WITH_CODE',
          EmailMessage: 'Your confirmation code is {####}',
        }),
      });
    });

    it('requires at least the Cognito default password policy', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 8,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
    });

    it('allows self sign-up, which the Hosted UI flow relies on', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      });
    });

    it('puts the Hosted UI on the configured domain prefix', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: 'gatehouse-demo',
        UserPoolId: { Ref: poolId },
      });
      const other = synth({ domainPrefix: 'my-team-auth' }).template;
      other.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'my-team-auth' });
    });
  });

  describe('app client', () => {
    it('has a generated secret, code and implicit flows and the five scopes', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: { Ref: poolId },
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        SupportedIdentityProviders: ['COGNITO'],
      });
      const client = onlyProps<{ AllowedOAuthScopes: string[]; AllowedOAuthFlows: string[] }>(
        template,
        'AWS::Cognito::UserPoolClient',
      );
      expect([...client.AllowedOAuthScopes].sort()).toEqual([
        'aws.cognito.signin.user.admin',
        'email',
        'openid',
        'phone',
        'profile',
      ]);
      expect([...client.AllowedOAuthFlows].sort()).toEqual(['code', 'implicit']);
    });

    it('hides whether a user exists and allows exactly the four explicit auth flows', () => {
      const props = onlyProps<{ PreventUserExistenceErrors: string; ExplicitAuthFlows: string[] }>(
        template,
        'AWS::Cognito::UserPoolClient',
      );
      expect(props.PreventUserExistenceErrors).toBe('ENABLED');
      expect([...props.ExplicitAuthFlows].sort()).toEqual([
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
      ]);
    });

    it('defaults its callback and logout URLs to ones that work locally', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['http://localhost:3000/callback'],
        LogoutURLs: ['http://localhost:3000/'],
      });
    });

    it('takes callback and logout URLs from config', () => {
      const other = synth({
        callbackUrls: ['https://app.example.com/cb', 'http://localhost:3000/callback'],
        logoutUrls: ['https://app.example.com/'],
      }).template;
      other.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['https://app.example.com/cb', 'http://localhost:3000/callback'],
        LogoutURLs: ['https://app.example.com/'],
      });
    });
  });

  describe('HTTP API', () => {
    it('is named serverless_lambda_gw and has only the auto-deployed serverless_lambda_stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        Name: 'serverless_lambda_gw',
        ProtocolType: 'HTTP',
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: 'serverless_lambda_stage',
        AutoDeploy: true,
      });
    });

    it('writes JSON access logs with the original fields to a log group with short retention', () => {
      const accessLogGroup = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(
        ([, resource]) =>
          (resource.Properties as { LogGroupName: string }).LogGroupName ===
          '/aws/api_gw/serverless_lambda_gw',
      );
      expect(accessLogGroup).toBeDefined();
      expect(accessLogGroup?.[1].Properties.RetentionInDays).toBe(7);

      const settings = onlyProps<{ AccessLogSettings: { DestinationArn: unknown; Format: string } }>(
        template,
        'AWS::ApiGatewayV2::Stage',
      ).AccessLogSettings;
      expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [accessLogGroup?.[0], 'Arn'] });
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(Object.keys(format)).toEqual([
        'requestId',
        'sourceIp',
        'requestTime',
        'protocol',
        'httpMethod',
        'resourcePath',
        'routeKey',
        'status',
        'responseLength',
        'integrationErrorMessage',
      ]);
      expect(format).toEqual(ACCESS_LOG_FIELDS);
    });

    it('takes the log retention from config', () => {
      const other = synth({ logRetentionDays: 3 }).template;
      const groups = Object.values(other.findResources('AWS::Logs::LogGroup'));
      expect(groups.map((group) => group.Properties.RetentionInDays)).toEqual([3, 3]);
    });

    it('integrates the Lambda as AWS_PROXY with payload format 2.0', () => {
      const functionId = Object.keys(
        template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'api-backend-demo' } }),
      )[0];
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
      });
    });

    it('has a JWT authorizer whose issuer is the pool and whose audience is the app client', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        Name: 'api-authorizer',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
            ],
          },
        },
      });
    });

    it('puts the authorizer on the four /person routes and leaves ANY / public', () => {
      const authorizerId = logicalId(template, 'AWS::ApiGatewayV2::Authorizer');
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) =>
          route.Properties as { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown },
      );
      const byKey = new Map(routes.map((route) => [route.RouteKey, route]));

      expect([...byKey.keys()].sort()).toEqual([
        'ANY /',
        'DELETE /person',
        'GET /person',
        'POST /person',
        'PUT /person',
      ]);
      for (const key of ['GET /person', 'POST /person', 'PUT /person', 'DELETE /person']) {
        expect(byKey.get(key)).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      }
      expect(byKey.get('ANY /')?.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(byKey.get('ANY /')?.AuthorizerId).toBeUndefined();
    });

    it('sends every route to the one integration', () => {
      const integrationId = logicalId(template, 'AWS::ApiGatewayV2::Integration');
      const targets = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => route.Properties.Target,
      );
      expect(targets).toHaveLength(5);
      for (const target of targets) {
        expect(target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
      }
    });
  });
});
