/**
 * The control-plane resources of the durability tests: made through each service's own API (SDK v3, or the wire
 * API where the project has no SDK client: IAM's awsQuery, API Gateway v2's restJson1), and read back whole.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand as TagLogsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketCorsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };
const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

export interface Clients {
  endpoint: string;
  lambda: LambdaClient;
  s3: S3Client;
  logs: CloudWatchLogsClient;
  /** IAM's awsQuery: the reply's XML without its RequestId (which differs on every call). */
  iam(action: string, params?: Record<string, string>): Promise<{ status: number; xml: string }>;
  /** API Gateway v2's restJson1. */
  apigw(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  destroy(): void;
}

export function clients(endpoint: string): Clients {
  const cfg = { endpoint, region: REGION, credentials, maxAttempts: 1 };
  const lambda = new LambdaClient(cfg);
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  const logs = new CloudWatchLogsClient(cfg);
  return {
    endpoint,
    lambda,
    s3,
    logs,
    async iam(action, params = {}) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: auth('iam'), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString(),
      });
      return { status: res.status, xml: (await res.text()).replace(/<RequestId>[^<]*<\/RequestId>/g, '') };
    },
    async apigw(method, path, body) {
      const res = await fetch(`${endpoint}${path}`, {
        method,
        headers: { authorization: auth('apigateway'), 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    destroy() {
      lambda.destroy();
      s3.destroy();
      logs.destroy();
    },
  };
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const POLICY = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

export const FN = 'durable-fn';
export const BUCKET = 'durable-bucket';
export const GROUP = '/durable/group';
const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FN}`;

/** A Node function answering with its route key and a variable of its environment. */
export const handlerZip = () =>
  zipSync({
    'index.mjs': strToU8(
      'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ route: e.routeKey ?? null, v: process.env.VAR }) });',
    ),
  });

/** Creates one of everything; returns the id of the HTTP API made. */
export async function createEverything(c: Clients, stackFunction?: string): Promise<string> {
  const ok = (r: { status: number; xml: string }) => {
    if (r.status !== 200) throw new Error(`unexpected ${r.status}: ${r.xml}`);
    return r;
  };
  // IAM: a role with an inline policy, a managed policy with a second (default) version, attached, tags.
  ok(
    await c.iam('CreateRole', {
      RoleName: 'durable-role',
      Path: '/app/',
      AssumeRolePolicyDocument: TRUST,
      Description: 'kept',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'core',
    }),
  );
  ok(
    await c.iam('PutRolePolicy', {
      RoleName: 'durable-role',
      PolicyName: 'inline',
      PolicyDocument: POLICY('s3:*'),
    }),
  );
  const created = ok(
    await c.iam('CreatePolicy', { PolicyName: 'durable-policy', PolicyDocument: POLICY('logs:*') }),
  );
  const policyArn = /<Arn>([^<]+)<\/Arn>/.exec(created.xml)?.[1] as string;
  ok(
    await c.iam('CreatePolicyVersion', {
      PolicyArn: policyArn,
      PolicyDocument: POLICY('sqs:*'),
      SetAsDefault: 'true',
    }),
  );
  ok(await c.iam('AttachRolePolicy', { RoleName: 'durable-role', PolicyArn: policyArn }));
  ok(
    await c.iam('TagRole', {
      RoleName: 'durable-role',
      'Tags.member.1.Key': 'env',
      'Tags.member.1.Value': 'dev',
    }),
  );
  ok(await c.iam('UpdateRole', { RoleName: 'durable-role', MaxSessionDuration: '7200' }));

  // Logs: a group with tags and retention (the stage's access logs go there).
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { a: '1' } }));
  await c.logs.send(
    new TagLogsCommand({
      resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
      tags: { b: '2' },
    }),
  );
  await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 7 }));

  // Lambda: a function, changed, with a permission, a version, an alias and tags.
  await c.lambda.send(
    new CreateFunctionCommand({
      FunctionName: FN,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: `arn:aws:iam::${ACCOUNT}:role/app/durable-role`,
      Code: { ZipFile: handlerZip() },
      Description: 'made through the API',
      Environment: { Variables: { VAR: 'one' } },
      Tags: { owner: 'test' },
    }),
  );
  await c.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: FN,
      Timeout: 9,
      Environment: { Variables: { VAR: 'two' } },
    }),
  );
  await waitUntilFunctionUpdatedV2({ client: c.lambda, maxWaitTime: 30 }, { FunctionName: FN });
  await c.lambda.send(
    new AddPermissionCommand({
      FunctionName: FN,
      StatementId: 'apigw',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:*`,
    }),
  );
  await c.lambda.send(new PublishVersionCommand({ FunctionName: FN, Description: 'first' }));
  await c.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: '1' }));
  await c.lambda.send(new TagResourceCommand({ Resource: FN_ARN, Tags: { extra: 'yes' } }));
  if (stackFunction) {
    await c.lambda.send(
      new TagResourceCommand({
        Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${stackFunction}`,
        Tags: { on: 'stack' },
      }),
    );
  }

  // S3: a bucket's sub-resources, one deleted back from its default, and an object's tags.
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.s3.send(
    new PutBucketCorsCommand({
      Bucket: BUCKET,
      CORSConfiguration: {
        CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['https://example.com'] }],
      },
    }),
  );
  await c.s3.send(
    new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }),
  );
  await c.s3.send(
    new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await c.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: POLICY('s3:GetObject') }));
  await c.s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
  await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'o.txt', Body: 'x' }));
  await c.s3.send(
    new PutObjectTaggingCommand({
      Bucket: BUCKET,
      Key: 'o.txt',
      Tagging: { TagSet: [{ Key: 't', Value: '1' }] },
    }),
  );

  // API Gateway v2: an API with every kind of part, served by the function.
  const api = await c.apigw('POST', '/v2/apis', {
    name: 'durable-api',
    protocolType: 'HTTP',
    tags: { api: 'tag' },
  });
  const apiId = api.json.apiId as string;
  const integ = await c.apigw('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'AWS_PROXY',
    integrationUri: FN_ARN,
    payloadFormatVersion: '2.0',
  });
  const authz = await c.apigw('POST', `/v2/apis/${apiId}/authorizers`, {
    name: 'jwt',
    authorizerType: 'JWT',
    identitySource: ['$request.header.Authorization'],
    jwtConfiguration: { issuer: 'https://issuer.example', audience: ['aud'] },
  });
  await c.apigw('POST', `/v2/apis/${apiId}/routes`, {
    routeKey: 'GET /hello',
    target: `integrations/${integ.json.integrationId}`,
  });
  await c.apigw('POST', `/v2/apis/${apiId}/routes`, {
    routeKey: 'GET /secure',
    target: `integrations/${integ.json.integrationId}`,
    authorizationType: 'JWT',
    authorizerId: authz.json.authorizerId,
  });
  await c.apigw('POST', `/v2/apis/${apiId}/stages`, {
    stageName: '$default',
    autoDeploy: true,
    accessLogSettings: {
      destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
      format: '$context.requestId',
    },
    defaultRouteSettings: { throttlingBurstLimit: 50, throttlingRateLimit: 100 },
  });
  await c.apigw('POST', `/v2/apis/${apiId}/stages`, { stageName: 'manual', stageVariables: { x: 'y' } });
  await c.apigw('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'manual', description: 'by hand' });
  await c.apigw(
    'POST',
    `/v2/tags/${encodeURIComponent(`arn:aws:apigateway:${REGION}::/apis/${apiId}/stages/manual`)}`,
    {
      tags: { stage: 'tag' },
    },
  );
  return apiId;
}

/** An S3 read as its answer, or its error code. */
const s3Read = async (f: () => Promise<object>) => {
  try {
    const { $metadata: _, ...out } = (await f()) as { $metadata: unknown };
    return out;
  } catch (e) {
    return { error: (e as Error).name };
  }
};
const sdk = async (p: Promise<object>) => {
  const { $metadata: _, ...out } = (await p) as { $metadata: unknown };
  return out;
};

/** Everything {@link createEverything} made, as each API reads it back (ports, which change, masked). */
export async function readEverything(c: Clients, apiId: string, stackFunction?: string): Promise<unknown> {
  const arn = (await c.iam('GetPolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/durable-policy` })).xml;
  const iam = {
    role: await c.iam('GetRole', { RoleName: 'durable-role' }),
    inline: await c.iam('ListRolePolicies', { RoleName: 'durable-role' }),
    inlineDoc: await c.iam('GetRolePolicy', { RoleName: 'durable-role', PolicyName: 'inline' }),
    attached: await c.iam('ListAttachedRolePolicies', { RoleName: 'durable-role' }),
    tags: await c.iam('ListRoleTags', { RoleName: 'durable-role' }),
    policy: arn,
    versions: await c.iam('ListPolicyVersions', {
      PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/durable-policy`,
    }),
    v2: await c.iam('GetPolicyVersion', {
      PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/durable-policy`,
      VersionId: 'v2',
    }),
  };
  const base = `/v2/apis/${apiId}`;
  const apigw = {
    api: await c.apigw('GET', base),
    stages: await c.apigw('GET', `${base}/stages`),
    routes: await c.apigw('GET', `${base}/routes`),
    integrations: await c.apigw('GET', `${base}/integrations`),
    authorizers: await c.apigw('GET', `${base}/authorizers`),
    deployments: await c.apigw('GET', `${base}/deployments`),
    tags: await c.apigw(
      'GET',
      `/v2/tags/${encodeURIComponent(`arn:aws:apigateway:${REGION}::/apis/${apiId}`)}`,
    ),
  };
  const fn = await sdk(c.lambda.send(new GetFunctionCommand({ FunctionName: FN })));
  const lambda = {
    configuration: (fn as { Configuration: unknown }).Configuration,
    tags: (fn as { Tags: unknown }).Tags,
    policy: await sdk(c.lambda.send(new GetPolicyCommand({ FunctionName: FN }))),
    versions: await sdk(c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FN }))),
    aliases: await sdk(c.lambda.send(new ListAliasesCommand({ FunctionName: FN }))),
    listTags: await sdk(c.lambda.send(new ListTagsCommand({ Resource: FN_ARN }))),
    ...(stackFunction
      ? {
          stackTags: await sdk(
            c.lambda.send(
              new ListTagsCommand({
                Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${stackFunction}`,
              }),
            ),
          ),
        }
      : {}),
  };
  const s3 = {
    cors: await s3Read(() => c.s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }))),
    tagging: await s3Read(() => c.s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }))),
    versioning: await s3Read(() => c.s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))),
    policy: await s3Read(() => c.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))),
    publicAccessBlock: await s3Read(() => c.s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))),
    objectTags: await s3Read(() => c.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'o.txt' }))),
  };
  const group = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
  const logs = {
    retention: group.logGroups?.map((g) => [g.logGroupName, g.retentionInDays, g.creationTime]),
    tags: (
      await c.logs.send(
        new ListTagsForResourceCommand({
          resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
        }),
      )
    ).tags,
    tagsByName: (await c.logs.send(new ListTagsLogGroupCommand({ logGroupName: GROUP }))).tags,
  };
  // The endpoints name the ports of the run that answered; everything else must be identical.
  return JSON.parse(
    JSON.stringify({ iam, apigw, lambda, s3, logs }).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'),
  );
}
