import { App, aws_s3 as s3, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STACK_CONFIG, type StackConfig } from './config.js';
import { GatehouseStack } from './stack.js';

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

  describe('Lambda', () => {
    it('is api-backend-demo on a Node.js 22+ runtime with an ESM handler', () => {
      const [fn] = Object.values(
        template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'api-backend-demo' } }),
      );
      const props = fn?.Properties as { Runtime: string; Handler: string };
      expect(props.Handler).toBe('index.handler');
      const major = Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1]);
      expect(major).toBeGreaterThanOrEqual(22);
    });

    it('may write only to its own log group', () => {
      const logGroupId = Object.entries(template.findResources('AWS::Logs::LogGroup')).find(
        ([, resource]) =>
          (resource.Properties as { LogGroupName: string }).LogGroupName === '/aws/lambda/api-backend-demo',
      )?.[0];
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
            },
          ],
        },
      });
      const roles = Object.values(template.findResources('AWS::IAM::Role'));
      const appRole = roles.find((role) => String(role.Properties.Description).includes('api-backend-demo'));
      expect(appRole?.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('lets API Gateway invoke it only from this API', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(template, 'AWS::ApiGatewayV2::Api') }])],
        }),
      });
    });
  });

  describe('artifact bucket', () => {
    it('is private, encrypted, SSL-only and emptied on destroy', () => {
      const bucketId = logicalId(template, 'AWS::S3::Bucket');
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: bucketId } });
    });
  });

  it('outputs everything deploy:code and a user need', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'ApiEndpoint',
        'BucketName',
        'FunctionName',
        'HostedUiUrl',
        'Issuer',
        'SignInUrl',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: clientId });
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: poolId });
    expect(JSON.stringify(outputs.ApiEndpoint?.Value)).toContain('/serverless_lambda_stage');
  });

  it('points each output at its resource: function, bucket, stage URL and Hosted UI domain', () => {
    const outputs = template.findOutputs('*');
    const functionId = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'api-backend-demo' } }),
    )[0];

    expect(outputs.FunctionName?.Value).toEqual({ Ref: functionId });
    expect(outputs.BucketName?.Value).toEqual({ Ref: logicalId(template, 'AWS::S3::Bucket') });
    expect(outputs.ApiEndpoint?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: logicalId(template, 'AWS::ApiGatewayV2::Api') },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/serverless_lambda_stage',
        ],
      ],
    });
    expect(outputs.HostedUiUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: logicalId(template, 'AWS::Cognito::UserPoolDomain') },
          '.auth.',
          { Ref: 'AWS::Region' },
          '.amazoncognito.com',
        ],
      ],
    });
  });

  it('gives the Issuer output and the authorizer the same issuer value', () => {
    const authorizer = onlyProps<{ JwtConfiguration: { Issuer: unknown } }>(
      template,
      'AWS::ApiGatewayV2::Authorizer',
    );
    expect(template.findOutputs('Issuer').Issuer?.Value).toEqual(authorizer.JwtConfiguration.Issuer);
  });

  it('needs no lookups, so it synthesizes without an AWS account', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new GatehouseStack(app, 'Gatehouse', { config: DEFAULT_STACK_CONFIG });

    const assembly = app.synth();

    expect(assembly.manifest.missing ?? []).toEqual([]);
    expect(assembly.getStackByName('Gatehouse').environment).toMatchObject({
      account: 'unknown-account',
      region: 'unknown-region',
    });
  });

  it('uses the configured names everywhere', () => {
    const other = synth({
      apiName: 'my_gw',
      stageName: 'v1',
      functionName: 'my-fn',
      authorizerName: 'my-auth',
      userPoolName: 'my-pool',
    }).template;
    other.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'my_gw' });
    other.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'v1' });
    other.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'my-fn' });
    other.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { Name: 'my-auth' });
    other.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: 'my-pool' });
  });

  it('pins the region when one is configured', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const pinned = new GatehouseStack(app, 'Pinned', {
      config: DEFAULT_STACK_CONFIG,
      env: { region: 'eu-west-1' },
    });
    const issuer = Template.fromStack(pinned).findOutputs('Issuer').Issuer?.Value;
    expect(JSON.stringify(issuer)).toContain('https://cognito-idp.eu-west-1.amazonaws.com/');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    const { stack } = synth();
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);

    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a reason', () => {
    const { stack } = synth();
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgements) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length, id).toBeGreaterThan(30);
    }
  });

  it('still reports a non-compliant resource, so the checks are live', () => {
    const { stack } = synth();
    new s3.Bucket(stack, 'UnloggedPlainBucket');

    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
  });
});
