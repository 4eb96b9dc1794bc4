import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AwsError } from '../../../protocols/index.js';
import type { FunctionInvoker } from '../../../shared/invoker.js';
import { logGroupNameOf } from '../env.js';
import type { FunctionRegistry, FunctionState } from '../functions/registry.js';

/**
 * Reads a deployment package from S3 for UpdateFunctionCode (S3Bucket/S3Key). The CLI wires it to S3's interface;
 * it throws a CodeSourceError when the object cannot be read.
 */
export type CodeSource = (bucket: string, key: string, versionId: string | undefined) => Promise<Uint8Array>;

/** Why an S3 object could not be read, with S3's own code (NoSuchBucket, NoSuchKey...). */
export class CodeSourceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CodeSourceError';
  }
}

/** What every Lambda operation may use. */
export interface LambdaApiDeps {
  registry: FunctionRegistry;
  invoker: FunctionInvoker;
  codeSource: CodeSource;
  region: string;
  accountId: string;
  /** Event invocations that fail are logged here (their caller is gone). */
  log: { warn(obj: object, msg?: string): void };
}

export const functionArn = (d: LambdaApiDeps, name: string) =>
  `arn:aws:lambda:${d.region}:${d.accountId}:function:${name}`;

export const notFound = (d: LambdaApiDeps, name: string, qualifier?: string) =>
  new AwsError(
    'ResourceNotFoundException',
    `Function not found: ${functionArn(d, name)}${qualifier ? `:${qualifier}` : ''}`,
    404,
    { Type: 'User' },
  );

export const invalidParameter = (message: string) =>
  new AwsError('InvalidParameterValueException', message, 400, { Type: 'User' });

/**
 * The function a `FunctionName` names (a name, an ARN or a partial ARN `123456789012:function:name`), and the
 * qualifier it carries or `qualifier` gives, unchecked: Invoke resolves it against the published versions.
 */
export function resolveFunction(
  d: LambdaApiDeps,
  functionName: string,
  qualifier?: string,
): { f: FunctionState; qualifier: string | undefined } {
  const m =
    /^(?:arn:[^:]+:lambda:[^:]+:)?(?:(\d{12}):function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/.exec(
      functionName,
    );
  if (m === null) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  }
  const name = m[2] as string;
  const f = d.registry.get(name);
  if (f === undefined || (m[1] !== undefined && m[1] !== d.accountId)) throw notFound(d, name);
  if (m[3] !== undefined && qualifier !== undefined && m[3] !== qualifier) {
    // [unverified] Lambda's wording when a qualified name and the Qualifier parameter disagree.
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return { f, qualifier: m[3] ?? qualifier };
}

/**
 * The function a `FunctionName` names, with an optional qualifier that must be `$LATEST`: the operations other
 * than Invoke read and change the unpublished function.
 */
export function requireFunction(d: LambdaApiDeps, functionName: string, qualifier?: string): FunctionState {
  const r = resolveFunction(d, functionName, qualifier);
  if (r.qualifier !== undefined && r.qualifier !== '$LATEST') throw notFound(d, r.f.spec.name, r.qualifier);
  return r.f;
}

/**
 * A function's configuration as GetFunctionConfiguration returns it.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
export function configurationOf(d: LambdaApiDeps, f: FunctionState): FunctionConfiguration {
  const s = f.spec;
  return {
    FunctionName: s.name,
    FunctionArn: functionArn(d, s.name),
    Runtime: s.runtime as FunctionConfiguration['Runtime'],
    Handler: s.handler,
    CodeSize: f.codeSize,
    Description: f.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: f.lastModified,
    CodeSha256: f.codeSha256,
    Version: '$LATEST',
    // Lambda leaves Environment out when the function has no variables (Terraform reads it back as written).
    ...(Object.keys(s.environment).length ? { Environment: { Variables: { ...s.environment } } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: f.revisionId,
    State: f.state,
    LastUpdateStatus: f.lastUpdateStatus,
    ...(f.lastUpdateStatus === 'InProgress'
      ? { LastUpdateStatusReason: 'The function is being updated.', LastUpdateStatusReasonCode: undefined }
      : {}),
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: logGroupNameOf(s.name) },
  };
}
