import type { UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';
import { AwsError } from '../../../protocols/index.js';
import { CodeError } from '../functions/code.js';
import type { ConfigPatch } from '../functions/registry.js';
import {
  CodeSourceError,
  configurationOf,
  invalidParameter,
  type LambdaApiDeps,
  requireFunction,
} from './deps.js';

/** Lambda's limit on a deployment package uploaded in the request (ZipFile). */
const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/** Lambda's longest Timeout: 15 minutes. */
const MAX_TIMEOUT_SECONDS = 900;

/** Runtimes the local cloud can run. */
const RUNTIMES = /^(nodejs(18|20|22|24)\.x|python3\.\d+|provided(\.al2|\.al2023)?)$/;

/**
 * Environment variables a function may not set.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

function revisionCheck(current: string, expected: string | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new AwsError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      412,
      { Type: 'User' },
    );
  }
}

function conflictIfUpdating(d: LambdaApiDeps, name: string, status: string): void {
  if (status === 'InProgress') {
    throw new AwsError(
      'ResourceConflictException',
      `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:${d.region}:${d.accountId}:function:${name}`,
      409,
      { Type: 'User' },
    );
  }
}

/**
 * UpdateFunctionCode from a ZipFile or an S3 object. The package is unzipped and recorded before the answer, which
 * reports `LastUpdateStatus: InProgress`; invocations already running finish on the old code.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
 */
export const updateFunctionCode = (d: LambdaApiDeps) => async (input: UpdateFunctionCodeRequest) => {
  const f = requireFunction(d, input.FunctionName as string);
  revisionCheck(f.revisionId, input.RevisionId);
  if (input.ImageUri !== undefined) {
    throw invalidParameter(
      'Please provide a valid Zip file: container images are not supported by the local cloud.',
    );
  }
  const fromS3 = input.S3Bucket !== undefined || input.S3Key !== undefined;
  if (input.ZipFile !== undefined && fromS3) {
    throw invalidParameter('Please do not provide other FunctionCode parameters when providing a ZipFile.');
  }
  let zip: Uint8Array;
  if (input.ZipFile !== undefined) {
    const raw = input.ZipFile as unknown;
    zip = typeof raw === 'string' ? Buffer.from(raw, 'base64') : (raw as Uint8Array);
    if (zip.length > MAX_ZIP_BYTES) {
      throw new AwsError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${MAX_ZIP_BYTES} bytes for the UpdateFunctionCode operation`,
        413,
        { Type: 'User' },
      );
    }
  } else if (input.S3Bucket !== undefined && input.S3Key !== undefined) {
    try {
      zip = await d.codeSource(input.S3Bucket, input.S3Key, input.S3ObjectVersion);
    } catch (e) {
      if (!(e instanceof CodeSourceError)) throw e;
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: ${e.code}. S3 Error Message: ${e.message}`,
      );
    }
  } else {
    throw invalidParameter('Please provide a source for function code.');
  }
  conflictIfUpdating(d, f.spec.name, d.registry.get(f.spec.name)?.lastUpdateStatus ?? 'Successful');
  if (input.DryRun) return configurationOf(d, f);
  try {
    return configurationOf(d, d.registry.updateCode(f.spec.name, zip));
  } catch (e) {
    if (e instanceof CodeError) throw invalidParameter(e.message);
    throw e;
  }
};

/**
 * UpdateFunctionConfiguration: Environment, MemorySize, Timeout, Handler, Description and Runtime take effect (new
 * execution environments start with them); Role is accepted and has no effect (no IAM locally); other members are refused rather than silently ignored.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
 */
export const updateFunctionConfiguration =
  (d: LambdaApiDeps) => async (input: UpdateFunctionConfigurationRequest) => {
    const f = requireFunction(d, input.FunctionName as string);
    revisionCheck(f.revisionId, input.RevisionId);
    const unsupported = Object.keys(input).filter(
      (k) =>
        ![
          'FunctionName',
          'RevisionId',
          'Environment',
          'MemorySize',
          'Timeout',
          'Handler',
          'Description',
          'Runtime',
          'Role',
        ].includes(k),
    );
    if (unsupported.length > 0) {
      throw invalidParameter(`The local cloud does not support changing ${unsupported.join(', ')}.`);
    }
    const patch: ConfigPatch = {};
    if (input.Environment !== undefined) {
      const vars = input.Environment.Variables ?? {};
      const reserved = Object.keys(vars).filter((k) => RESERVED_VARIABLES.has(k));
      if (reserved.length > 0) {
        throw invalidParameter(
          `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
        );
      }
      patch.Environment = vars;
    }
    if (input.Runtime !== undefined) {
      if (!RUNTIMES.test(input.Runtime)) {
        throw invalidParameter(
          `The runtime parameter of ${input.Runtime} is not supported by the local cloud.`,
        );
      }
      patch.Runtime = input.Runtime;
    }
    if (input.Timeout !== undefined && input.Timeout > MAX_TIMEOUT_SECONDS) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${input.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${MAX_TIMEOUT_SECONDS}`,
      );
    }
    if (input.MemorySize !== undefined) patch.MemorySize = input.MemorySize;
    if (input.Timeout !== undefined) patch.Timeout = input.Timeout;
    if (input.Handler !== undefined) patch.Handler = input.Handler;
    if (input.Description !== undefined) patch.Description = input.Description;
    conflictIfUpdating(d, f.spec.name, f.lastUpdateStatus);
    return configurationOf(d, d.registry.updateConfig(f.spec.name, patch));
  };
