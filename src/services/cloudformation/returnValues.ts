/**
 * What `Ref` and `Fn::GetAtt` return for each resource type: the deterministic local physical ids, and the
 * attributes the local cloud can know. Same template in, same values out.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html
 */
import { TemplateError } from './errors.js';
import { apiChildId, generatedName, httpApiId, userPoolClientId, userPoolId } from './ids.js';
import { type CfnResource, unresolved } from './template.js';

/** What the return values need from the resolver: names, the partition, and a resource's resolved property. */
export interface ReturnValueContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  /** One resolved property of a resource. */
  property(logicalId: string, key: string): unknown;
  /** A resource's type, for messages. */
  resource(logicalId: string): CfnResource | undefined;
}

function requireString(ctx: ReturnValueContext, value: unknown, logicalId: string, property: string): string {
  if (typeof value === 'string' && value !== '') return value;
  const type = ctx.resource(logicalId)?.Type ?? 'resource';
  throw new TemplateError(
    `Resource ${logicalId} (${type}): ${property} must be a non-empty string`,
    logicalId,
  );
}

/**
 * `Ref` of a resource: its physical id, as CloudFormation documents each type's Ref return value.
 * Types the local cloud does not model get a CloudFormation-style generated name.
 */
export function physicalId(ctx: ReturnValueContext, res: CfnResource, logicalId: string): string {
  const { stackName, region } = ctx;
  const prop = (key: string) => ctx.property(logicalId, key);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (res.Type) {
    case 'AWS::Cognito::UserPool':
      return userPoolId(region, stackName, logicalId);
    case 'AWS::Cognito::UserPoolClient':
      return userPoolClientId(stackName, logicalId);
    case 'AWS::Cognito::UserPoolDomain':
      return requireString(ctx, prop('Domain'), logicalId, 'Domain');
    case 'AWS::Cognito::UserPoolGroup':
      return str(prop('GroupName')) ?? generatedName(stackName, logicalId);
    case 'AWS::Cognito::UserPoolResourceServer':
      return requireString(ctx, prop('Identifier'), logicalId, 'Identifier');
    case 'AWS::Lambda::Function':
      return str(prop('FunctionName')) ?? generatedName(stackName, logicalId);
    case 'AWS::ApiGatewayV2::Api':
      return httpApiId(stackName, logicalId);
    case 'AWS::ApiGatewayV2::Stage':
      return requireString(ctx, prop('StageName'), logicalId, 'StageName');
    case 'AWS::ApiGatewayV2::Route':
      return apiChildId(res.Type, stackName, logicalId, 7);
    case 'AWS::ApiGatewayV2::Integration':
      return apiChildId(res.Type, stackName, logicalId, 7);
    case 'AWS::ApiGatewayV2::Authorizer':
      return apiChildId(res.Type, stackName, logicalId, 6);
    case 'AWS::IAM::Role':
      return str(prop('RoleName')) ?? generatedName(stackName, logicalId);
    case 'AWS::Logs::LogGroup':
      return str(prop('LogGroupName')) ?? generatedName(stackName, logicalId, { maxLength: 512 });
    case 'AWS::S3::Bucket':
      return (
        str(prop('BucketName')) ?? generatedName(stackName, logicalId, { maxLength: 63, lowercase: true })
      );
    default:
      return generatedName(stackName, logicalId);
  }
}

/**
 * `Fn::GetAtt` of a resource. The attributes the local cloud can know are computed; an attribute that only
 * exists in AWS resolves to an unresolved placeholder (see {@link assertResolved}).
 */
export function attributeValue(
  ctx: ReturnValueContext,
  res: CfnResource,
  logicalId: string,
  attribute: string,
): unknown {
  const { region, accountId } = ctx;
  const arn = (service: string, rest: string, withRegion = true, withAccount = true) =>
    `arn:${ctx.partition}:${service}:${withRegion ? region : ''}:${withAccount ? accountId : ''}:${rest}`;
  const id = () => physicalId(ctx, res, logicalId);
  const prop = (k: string) => ctx.property(logicalId, k);
  const key = `${res.Type}.${attribute}`;
  switch (key) {
    case 'AWS::Cognito::UserPool.Arn':
      return arn('cognito-idp', `userpool/${id()}`);
    case 'AWS::Cognito::UserPool.UserPoolId':
      return id();
    case 'AWS::Cognito::UserPool.ProviderName':
      return `cognito-idp.${region}.${ctx.urlSuffix}/${id()}`;
    case 'AWS::Cognito::UserPool.ProviderURL':
      return `https://cognito-idp.${region}.${ctx.urlSuffix}/${id()}`;
    case 'AWS::Cognito::UserPoolClient.ClientId':
      return id();
    case 'AWS::Cognito::UserPoolClient.Name':
      return prop('ClientName') ?? unresolved(`${logicalId}.Name`);
    case 'AWS::Lambda::Function.Arn':
      return arn('lambda', `function:${id()}`);
    case 'AWS::ApiGatewayV2::Api.ApiId':
      return id();
    case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
      return `https://${id()}.execute-api.${region}.${ctx.urlSuffix}`;
    case 'AWS::ApiGatewayV2::Authorizer.AuthorizerId':
    case 'AWS::ApiGatewayV2::Integration.IntegrationId':
    case 'AWS::ApiGatewayV2::Route.RouteId':
      return id();
    case 'AWS::IAM::Role.Arn': {
      const path = prop('Path');
      return arn('iam', `role${typeof path === 'string' ? path : '/'}${id()}`, false);
    }
    case 'AWS::IAM::Role.RoleId':
      return `AROA${apiChildId('RoleId', ctx.stackName, logicalId, 17).toUpperCase()}`;
    case 'AWS::Logs::LogGroup.Arn':
      return arn('logs', `log-group:${id()}:*`);
    case 'AWS::S3::Bucket.Arn':
      return arn('s3', id(), false, false);
    case 'AWS::S3::Bucket.BucketName':
      return id();
    case 'AWS::S3::Bucket.DomainName':
      return `${id()}.s3.${ctx.urlSuffix}`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${id()}.s3.${region}.${ctx.urlSuffix}`;
    case 'AWS::S3::Bucket.WebsiteURL':
      return `http://${id()}.s3-website-${region}.${ctx.urlSuffix}`;
    default:
      return unresolved(`${logicalId}.${attribute}`);
  }
}
