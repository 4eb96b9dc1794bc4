// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub strings use ${} on purpose; they are CloudFormation, not JavaScript
import { describe, expect, it } from 'vitest';
import { generatedName, userPoolClientId, userPoolId } from '../../src/services/cloudformation/ids.js';
import {
  assertResolved,
  type CfnTemplate,
  Resolver,
  UNRESOLVED_PREFIX,
} from '../../src/services/cloudformation/intrinsics.js';
import { templateErrorOf } from './helpers.js';

const opts = { stackName: 'Demo', region: 'eu-west-1', accountId: '123456789012' };

const template: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    Count: { Type: 'Number', Default: 3 },
    Origins: { Type: 'CommaDelimitedList', Default: 'http://a.test,http://b.test' },
    NoDefault: { Type: 'String' },
    Bootstrap: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
  Mappings: { Regions: { 'eu-west-1': { Short: 'euw1' } } },
  Conditions: {
    IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
    IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] },
    CountIsThree: { 'Fn::Equals': [{ Ref: 'Count' }, 3] },
    DevAndThree: { 'Fn::And': [{ Condition: 'IsDev' }, { Condition: 'CountIsThree' }] },
    ProdOrThree: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'CountIsThree' }] },
    Loop: { 'Fn::Not': [{ Condition: 'Loop' }] },
  },
  Resources: {
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'p' } },
    Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } },
    Domain: {
      Type: 'AWS::Cognito::UserPoolDomain',
      Properties: { Domain: 'my-prefix', UserPoolId: { Ref: 'Pool' } },
    },
    Orders: { Type: 'AWS::Cognito::UserPoolResourceServer', Properties: { Identifier: 'orders', Name: 'o' } },
    Admins: { Type: 'AWS::Cognito::UserPoolGroup', Properties: { GroupName: 'admins' } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
    NamedFn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'api' } },
    Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { StageName: 'v1' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/' } },
    ImportingRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: 'importer',
        Policies: [{ PolicyDocument: { 'Fn::ImportValue': 'Shared:Policy' } }],
      },
    },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/http/api' } },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    DevOnly: { Type: 'AWS::SNS::Topic', Condition: 'IsProd', Properties: {} },
    A: { Type: 'AWS::Cognito::UserPoolDomain', Properties: { Domain: { Ref: 'B' } } },
    B: { Type: 'AWS::Cognito::UserPoolDomain', Properties: { Domain: { Ref: 'A' } } },
  },
};

const resolver = (parameters?: Record<string, string>) => new Resolver(template, { ...opts, parameters });
const resolve = (value: unknown) => resolver().resolve(value, 'Fn');

describe('Ref', () => {
  it('gives the deterministic pool and client ids for Cognito resources', () => {
    expect(resolve({ Ref: 'Pool' })).toBe(userPoolId('eu-west-1', 'Demo', 'Pool'));
    expect(resolve({ Ref: 'Client' })).toBe(userPoolClientId('Demo', 'Client'));
  });

  it('gives the name-like physical ids CloudFormation documents for domains, resource servers and groups', () => {
    expect(resolve({ Ref: 'Domain' })).toBe('my-prefix');
    expect(resolve({ Ref: 'Orders' })).toBe('orders');
    expect(resolve({ Ref: 'Admins' })).toBe('admins');
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolver().ref('Stage', 'Fn')).toBe('v1');
  });

  it('names a function by its FunctionName, else as CloudFormation generates it', () => {
    expect(resolve({ Ref: 'NamedFn' })).toBe('my-fn');
    expect(resolve({ Ref: 'Fn' })).toBe(generatedName('Demo', 'Fn'));
    expect(resolve({ Ref: 'Fn' })).toMatch(/^Demo-Fn-[A-Za-z0-9]{12}$/);
  });

  it('gives every other resource type a stable generated name', () => {
    expect(resolve({ Ref: 'Table' })).toMatch(/^Demo-Table-[A-Za-z0-9]{12}$/);
    expect(resolve({ Ref: 'Bucket' })).toMatch(/^demo-bucket-[a-z0-9]{12}$/);
  });

  it('resolves the pseudo parameters', () => {
    expect(resolve({ Ref: 'AWS::Region' })).toBe('eu-west-1');
    expect(resolve({ Ref: 'AWS::AccountId' })).toBe('123456789012');
    expect(resolve({ Ref: 'AWS::StackName' })).toBe('Demo');
    expect(resolve({ Ref: 'AWS::Partition' })).toBe('aws');
    expect(resolve({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com');
    expect(resolve({ Ref: 'AWS::NotificationARNs' })).toEqual([]);
    expect(resolve({ Ref: 'AWS::StackId' })).toMatch(
      /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/Demo\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('uses the China partition and URL suffix in cn- regions', () => {
    const r = new Resolver(template, { ...opts, region: 'cn-north-1' });
    expect(r.resolve({ Ref: 'AWS::Partition' }, 'Fn')).toBe('aws-cn');
    expect(r.resolve({ Ref: 'AWS::URLSuffix' }, 'Fn')).toBe('amazonaws.com.cn');
  });

  it('removes a property or list element set to AWS::NoValue', () => {
    expect(resolve({ A: 1, B: { Ref: 'AWS::NoValue' }, C: ['x', { Ref: 'AWS::NoValue' }, 'y'] })).toEqual({
      A: 1,
      C: ['x', 'y'],
    });
    expect(resolve({ Ref: 'AWS::NoValue' })).toBeUndefined();
  });

  it('resolves parameters to their defaults as strings, lists split on commas', () => {
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolve({ Ref: 'Count' })).toBe('3');
    expect(resolve({ Ref: 'Origins' })).toEqual(['http://a.test', 'http://b.test']);
  });

  it('prefers given parameter values over defaults', () => {
    expect(resolver({ Stage: 'prod' }).resolve({ Ref: 'Stage' }, 'Fn')).toBe('prod');
  });

  it('reports a parameter with no default, naming the parameter and the resource', () => {
    const err = templateErrorOf(() => resolve({ Ref: 'NoDefault' }));
    expect(err.message).toBe(
      'Resource Fn (AWS::Lambda::Function): parameter NoDefault has no Default and no value was given',
    );
    expect(err.logicalId).toBe('Fn');
  });

  it('leaves SSM-backed parameters unresolved rather than using the parameter path as the value', () => {
    expect(resolve({ Ref: 'Bootstrap' })).toBe(`${UNRESOLVED_PREFIX}parameter Bootstrap (SSM)}}`);
  });

  it('reports a reference to a resource that is not in the template', () => {
    expect(() => resolve({ Ref: 'Missing' })).toThrow(
      /Resource Fn \(AWS::Lambda::Function\): refers to Missing, which is not in the template/,
    );
  });

  it('reports a reference to a resource whose condition is false', () => {
    expect(() => resolve({ Ref: 'DevOnly' })).toThrow(/refers to DevOnly, whose condition IsProd is false/);
  });

  it('reports circular references between resources', () => {
    expect(() => resolve({ Ref: 'A' })).toThrow(/circular reference/);
  });

  it('reports an unknown pseudo parameter', () => {
    expect(() => resolve({ Ref: 'AWS::Nope' })).toThrow(/unknown pseudo parameter AWS::Nope/);
  });
});

describe('Fn::GetAtt', () => {
  const poolId = userPoolId('eu-west-1', 'Demo', 'Pool');

  it('gives the user pool Arn, ProviderName, ProviderURL and UserPoolId', () => {
    expect(resolve({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe(
      `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${poolId}`,
    );
    expect(resolve({ 'Fn::GetAtt': ['Pool', 'ProviderName'] })).toBe(
      `cognito-idp.eu-west-1.amazonaws.com/${poolId}`,
    );
    expect(resolve({ 'Fn::GetAtt': ['Pool', 'ProviderURL'] })).toBe(
      `https://cognito-idp.eu-west-1.amazonaws.com/${poolId}`,
    );
    expect(resolve({ 'Fn::GetAtt': ['Pool', 'UserPoolId'] })).toBe(poolId);
  });

  it('accepts the dotted string form', () => {
    expect(resolve({ 'Fn::GetAtt': 'Pool.UserPoolId' })).toBe(poolId);
  });

  it('gives the client id, function ARN and API endpoint', () => {
    expect(resolve({ 'Fn::GetAtt': ['Client', 'ClientId'] })).toBe(userPoolClientId('Demo', 'Client'));
    expect(resolve({ 'Fn::GetAtt': ['NamedFn', 'Arn'] })).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:my-fn',
    );
    const apiId = resolve({ Ref: 'Api' });
    expect(apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(resolve({ 'Fn::GetAtt': ['Api', 'ApiId'] })).toBe(apiId);
    expect(resolve({ 'Fn::GetAtt': ['Api', 'ApiEndpoint'] })).toBe(
      `https://${apiId}.execute-api.eu-west-1.amazonaws.com`,
    );
  });

  it('gives role, log group and bucket ARNs in their own formats', () => {
    expect(resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toMatch(
      /^arn:aws:iam::123456789012:role\/service\/Demo-Role-[A-Za-z0-9]{12}$/,
    );
    expect(resolve({ 'Fn::GetAtt': ['Logs', 'Arn'] })).toBe(
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/http/api:*',
    );
    const bucket = resolve({ Ref: 'Bucket' });
    expect(resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe(`arn:aws:s3:::${String(bucket)}`);
    expect(resolve({ 'Fn::GetAtt': ['Bucket', 'BucketName'] })).toBe(bucket);
  });

  it('gives a name or ARN from its own property even when other properties cannot be resolved locally', () => {
    expect(resolve({ 'Fn::GetAtt': ['ImportingRole', 'Arn'] })).toBe(
      'arn:aws:iam::123456789012:role/importer',
    );
  });

  it('leaves attributes that exist only in AWS as an unresolved placeholder naming them', () => {
    expect(resolve({ 'Fn::GetAtt': ['Client', 'ClientSecret'] })).toBe(
      `${UNRESOLVED_PREFIX}Client.ClientSecret}}`,
    );
    expect(resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toBe(`${UNRESOLVED_PREFIX}Table.StreamArn}}`);
  });

  it('rejects a malformed argument', () => {
    expect(() => resolve({ 'Fn::GetAtt': ['Pool'] })).toThrow(/Fn::GetAtt needs \[logicalId, attribute\]/);
  });
});

describe('Fn::Join', () => {
  it('joins resolved values with the delimiter', () => {
    expect(
      resolve({
        'Fn::Join': [
          '',
          ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'Pool' }],
        ],
      }),
    ).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${userPoolId('eu-west-1', 'Demo', 'Pool')}`);
  });

  it('joins a list that is itself an intrinsic', () => {
    expect(resolve({ 'Fn::Join': [';', { Ref: 'Origins' }] })).toBe('http://a.test;http://b.test');
  });

  it('refuses to join an object, naming the resource', () => {
    expect(() => resolve({ 'Fn::Join': ['', [{ a: 1 }]] })).toThrow(
      /Resource Fn \(AWS::Lambda::Function\): Fn::Join can only join strings, got an object/,
    );
  });
});

describe('Fn::Sub', () => {
  it('substitutes pseudo parameters, parameters, resources and attributes in the string form', () => {
    expect(
      resolve({
        'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${NamedFn}',
      }),
    ).toBe('arn:aws:lambda:eu-west-1:123456789012:function:my-fn');
    expect(resolve({ 'Fn::Sub': '${Stage}/${Pool.ProviderName}' })).toBe(
      `dev/cognito-idp.eu-west-1.amazonaws.com/${userPoolId('eu-west-1', 'Demo', 'Pool')}`,
    );
  });

  it('substitutes the variables of the list form, which may be intrinsics', () => {
    expect(
      resolve({ 'Fn::Sub': ['${Scheme}://${Host}/x', { Scheme: 'https', Host: { Ref: 'Domain' } }] }),
    ).toBe('https://my-prefix/x');
  });

  it('keeps ${!Literal} as a literal ${Literal}', () => {
    expect(resolve({ 'Fn::Sub': 'a ${!Literal} b' })).toBe('a ${Literal} b');
  });
});

describe('Fn::Select and Fn::Split', () => {
  it('selects an element of a split string', () => {
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
    expect(resolve({ 'Fn::Select': ['2', ['x', 'y', 'z']] })).toBe('z');
  });

  it('reports an index out of range', () => {
    expect(() => resolve({ 'Fn::Select': [3, ['x']] })).toThrow(
      /Fn::Select index 3 is out of range for a list of 1/,
    );
  });

  it('splits a resolved value', () => {
    expect(resolve({ 'Fn::Split': [',', { 'Fn::Join': [',', ['a', 'b']] }] })).toEqual(['a', 'b']);
  });
});

describe('Conditions and Fn::If', () => {
  it('evaluates Fn::Equals against parameter values, comparing numbers as strings', () => {
    const r = resolver();
    expect(r.condition('IsDev', 'Fn')).toBe(true);
    expect(r.condition('IsProd', 'Fn')).toBe(false);
    expect(r.condition('CountIsThree', 'Fn')).toBe(true);
    expect(r.condition('DevAndThree', 'Fn')).toBe(true);
    expect(r.condition('ProdOrThree', 'Fn')).toBe(true);
    expect(resolver({ Stage: 'prod' }).condition('IsDev', 'Fn')).toBe(false);
  });

  it('picks the Fn::If branch of the condition, and AWS::NoValue removes the property', () => {
    expect(resolve({ Name: { 'Fn::If': ['IsDev', 'dev-name', 'prod-name'] } })).toEqual({ Name: 'dev-name' });
    expect(resolve({ Name: { 'Fn::If': ['IsProd', 'prod-name', { Ref: 'AWS::NoValue' }] } })).toEqual({});
  });

  it('reports an undefined condition', () => {
    expect(() => resolve({ 'Fn::If': ['Nope', 1, 2] })).toThrow(
      /condition Nope is not defined in Conditions/,
    );
  });

  it('reports a condition that refers to itself', () => {
    expect(() => resolver().condition('Loop', 'Fn')).toThrow(/Condition Loop refers to itself/);
  });

  it('knows a resource whose condition is false is not created', () => {
    expect(resolver().isActive('DevOnly')).toBe(false);
    expect(resolver({ Stage: 'prod' }).isActive('DevOnly')).toBe(true);
  });
});

describe('other intrinsics', () => {
  it('finds a value in Mappings', () => {
    expect(resolve({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Short'] })).toBe('euw1');
  });

  it('encodes Fn::Base64', () => {
    expect(resolve({ 'Fn::Base64': 'hello' })).toBe('aGVsbG8=');
  });

  it('reports Fn::ImportValue, naming the resource', () => {
    expect(() => resolve({ 'Fn::ImportValue': 'OtherStack:Export' })).toThrow(
      /^Resource Fn \(AWS::Lambda::Function\): Fn::ImportValue is not supported locally/,
    );
  });

  it('reports Fn::GetAZs, naming the resource', () => {
    expect(() => resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toThrow(
      /^Resource Fn \(AWS::Lambda::Function\): Fn::GetAZs is not supported locally/,
    );
  });

  it('reports an intrinsic it does not know', () => {
    expect(() => resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow(
      /Fn::Cidr is not supported by the local cloud/,
    );
  });

  it('treats an object with several keys, one of them Ref, as plain data', () => {
    expect(resolve({ Ref: 'x', Other: 1 })).toEqual({ Ref: 'x', Other: 1 });
  });
});

describe('assertResolved', () => {
  it('accepts resolved values and names the resource and property of an unresolved one', () => {
    expect(() => assertResolved(['a', 'b'], 'Client', 'CallbackURLs')).not.toThrow();
    const err = templateErrorOf(() =>
      assertResolved(`x-${UNRESOLVED_PREFIX}Table.StreamArn}}`, 'Fn', 'Environment'),
    );
    expect(err.message).toBe(
      'Resource Fn: Environment depends on Table.StreamArn, which has no value outside AWS',
    );
    expect(err.logicalId).toBe('Fn');
  });
});
