/**
 * The CDK bootstrap stack (`CDKToolkit`, qualifier `hnb659fds`) the local cloud starts with, so `cdk deploy` works
 * without `cdk bootstrap`: the assets bucket, the version parameter the CLI checks, and the five roles it assumes.
 * `cdk bootstrap` against the local cloud updates this same stack with the CLI's full template.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export const BOOTSTRAP_STACK = 'CDKToolkit';
export const QUALIFIER = 'hnb659fds';
/** The version of the bootstrap template of the CDK CLI in devDependencies (aws-cdk 2.1148.1). */
export const BOOTSTRAP_VERSION = '33';

const role = (kind: string) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: { 'Fn::Sub': `cdk-${QUALIFIER}-${kind}-role-\${AWS::AccountId}-\${AWS::Region}` },
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { Ref: 'AWS::AccountId' } } },
      ],
    },
  },
});

export function bootstrapTemplate(): string {
  const template = {
    Description: 'This stack includes resources needed to deploy AWS CDK apps into this environment',
    Resources: {
      StagingBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: { 'Fn::Sub': `cdk-${QUALIFIER}-assets-\${AWS::AccountId}-\${AWS::Region}` },
        },
        UpdateReplacePolicy: 'Retain',
        DeletionPolicy: 'Retain',
      },
      FilePublishingRole: role('file-publishing'),
      ImagePublishingRole: role('image-publishing'),
      LookupRole: role('lookup'),
      CloudFormationExecutionRole: role('cfn-exec'),
      DeploymentActionRole: role('deploy'),
      CdkBootstrapVersion: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Type: 'String', Name: `/cdk-bootstrap/${QUALIFIER}/version`, Value: BOOTSTRAP_VERSION },
      },
    },
    Outputs: {
      BucketName: { Value: { Ref: 'StagingBucket' } },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
      BucketDomainName: { Value: { 'Fn::Sub': '${StagingBucket.RegionalDomainName}' } },
      BootstrapVersion: { Value: BOOTSTRAP_VERSION },
    },
  };
  return JSON.stringify(template, null, 1);
}
