import { fileURLToPath } from 'node:url';
import {
  aws_apigateway as apigw,
  aws_apigatewayv2 as apigwv2,
  aws_apigatewayv2_authorizers as authorizers,
  CfnOutput,
  CfnResource,
  aws_cognito as cognito,
  Duration,
  aws_iam as iam,
  aws_apigatewayv2_integrations as integrations,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_s3 as s3,
  Validations,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PERSON_METHODS } from '../functions/api.js';
import type { StackConfig } from './config.js';

/** The handler's source; NodejsFunction bundles it with the locally installed esbuild, never Docker. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../functions/api.ts', import.meta.url));

/** The methods of `/person`, each a route behind the JWT authorizer; the handler's list is the one source. */
export const PERSON_ROUTE_METHODS: readonly apigwv2.HttpMethod[] = PERSON_METHODS.map(
  (method) => apigwv2.HttpMethod[method],
);

/**
 * The access log fields of the original Terraform stage, as HTTP API `$context` variables.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  protocol: '$context.protocol',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
} as const;

export interface GatehouseStackProps extends StackProps {
  readonly config: StackConfig;
}

/**
 * Everything the original Terraform created: a Cognito user pool with a Hosted UI domain and an app client, an
 * HTTP API whose JWT authorizer trusts that pool and client, the Lambda behind it, and an S3 bucket for code
 * artifacts (used by `npm run deploy:code`). The local cloud reads the synthesized template of this stack.
 */
export class GatehouseStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly function: nodejs.NodejsFunction;
  readonly artifactBucket: s3.Bucket;
  /** The one place the issuer URL is computed: the authorizer and the `Issuer` output both use it. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const { config } = props;

    // ---- Cognito --------------------------------------------------------------------------------------------
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: config.userPoolName,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      userVerification: {
        emailStyle: cognito.VerificationEmailStyle.CODE,
        emailSubject: 'Your verification code',
        emailBody: 'Your confirmation code is {####}',
      },
      // Cognito's default policy, spelled out so a changed default can never weaken it.
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // `npm run destroy` replaces `terraform destroy`, which deleted the pool too.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const domain = this.userPool.addDomain('HostedUiDomain', {
      cognitoDomain: { domainPrefix: config.domainPrefix },
    });

    this.userPoolClient = this.userPool.addClient('AppClient', {
      userPoolClientName: config.appClientName,
      generateSecret: true,
      // CDK always adds ALLOW_REFRESH_TOKEN_AUTH to these.
      authFlows: { userPassword: true, adminUserPassword: true, userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: true },
        scopes: [
          cognito.OAuthScope.PHONE,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.PROFILE,
          cognito.OAuthScope.COGNITO_ADMIN,
        ],
        callbackUrls: [...config.callbackUrls],
        logoutUrls: [...config.logoutUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
    });

    this.issuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;

    // ---- Lambda ---------------------------------------------------------------------------------------------
    const functionLogGroup = new logs.LogGroup(this, 'FunctionLogGroup', {
      logGroupName: `/aws/lambda/${config.functionName}`,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role that may write to its own log group only, instead of the managed AWSLambdaBasicExecutionRole.
    const functionRole = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${config.functionName}`,
    });
    functionRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [functionLogGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'ApiFunction', {
      functionName: config.functionName,
      description: 'Gatehouse API backend: public hello on ANY /, caller identity on /person',
      entry: HANDLER_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      role: functionRole,
      logGroup: functionLogGroup,
      depsLockFilePath: fileURLToPath(new URL('../../package-lock.json', import.meta.url)),
      bundling: {
        // ESM in an .mjs file: unambiguous both in Lambda and under this repo's "type": "module".
        format: nodejs.OutputFormat.ESM,
        // The local cloud runs the same bundle on Node >= 20; Lambda runs it on nodejs24.x.
        target: 'node20',
        minify: false,
        sourceMap: false,
        // The handler needs no SDK; bundle everything so the zip is self-contained.
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });

    // ---- Artifact bucket --------------------------------------------------------------------------------------
    this.artifactBucket = new s3.Bucket(this, 'ArtifactBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // ---- HTTP API -------------------------------------------------------------------------------------------
    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: config.apiName,
      description: 'Gatehouse: a JWT-protected serverless REST API',
      createDefaultStage: false,
    });

    const accessLogGroup = new logs.LogGroup(this, 'AccessLogGroup', {
      logGroupName: `/aws/api_gw/${config.apiName}`,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stage = this.api.addStage('Stage', {
      stageName: config.stageName,
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogGroup),
        format: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integration = new integrations.HttpLambdaIntegration('ApiIntegration', this.function, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });

    // Audience is the app client id: Cognito access tokens carry it as client_id, ID tokens as aud.
    const authorizer = new authorizers.HttpJwtAuthorizer('ApiAuthorizer', this.issuer, {
      authorizerName: config.authorizerName,
      identitySource: ['$request.header.Authorization'],
      jwtAudience: [this.userPoolClient.userPoolClientId],
    });

    const publicRoutes = this.api.addRoutes({
      path: '/',
      methods: [apigwv2.HttpMethod.ANY],
      integration,
    });
    this.api.addRoutes({
      path: '/person',
      methods: [...PERSON_ROUTE_METHODS],
      integration,
      authorizer,
    });

    // ---- Outputs (read by scripts/deploy-code.ts and the README) --------------------------------------------
    new CfnOutput(this, 'ApiEndpoint', {
      value: this.stage.url,
      description: 'Invoke URL of the serverless_lambda_stage stage',
    });
    new CfnOutput(this, 'FunctionName', { value: this.function.functionName });
    new CfnOutput(this, 'BucketName', { value: this.artifactBucket.bucketName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', {
      value: domain.baseUrl(),
      description: 'Base URL of the Cognito Hosted UI',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: domain.signInUrl(this.userPoolClient, { redirectUri: config.callbackUrls[0] ?? '' }),
      description: 'Hosted UI login page for the app client (authorization code flow)',
    });
    new CfnOutput(this, 'Issuer', { value: this.issuer, description: 'Issuer the JWT authorizer trusts' });

    this.acknowledgeNagFindings(publicRoutes);
    this.quietRedundantDependsOn();
  }

  /**
   * CDK adds an explicit DependsOn on a function's role although `Role: GetAtt` already orders them; cfn-lint
   * reports that as W3005. The ordering is harmless, so the two functions tell cfn-lint to skip that check.
   * @see https://github.com/aws-cloudformation/cfn-lint#metadata
   */
  private quietRedundantDependsOn(): void {
    const autoDeleteHandler = this.node
      .tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider')
      ?.node.tryFindChild('Handler');
    for (const resource of [this.function.node.defaultChild, autoDeleteHandler]) {
      if (resource instanceof CfnResource) {
        resource.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
      }
    }
  }

  /**
   * Every accepted cdk-nag finding, each with the reason it is acceptable for this stack. An acknowledgement
   * covers the construct and its children (cdk-nag v3 reads `Validations.of(...).acknowledge`).
   * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
   */
  private acknowledgeNagFindings(publicRoutes: apigwv2.HttpRoute[]): void {
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'The demo API keeps the original sign-up flow without MFA; enable MFA for production users.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection (AdvancedSecurityMode ENFORCED) needs the paid Plus feature plan; the original stack did not use it.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan is a paid tier the demo does not need; Essentials covers its sign-up and login.',
      },
    );
    for (const route of publicRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'ANY / is public by design: it is the unauthenticated hello route of the original API.',
      });
    }
    Validations.of(this.artifactBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds build artifacts written only by the deploy pipeline; CloudTrail covers access auditing.',
    });
  }
}
