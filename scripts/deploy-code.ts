/**
 * `npm run deploy:code`: the original CD's code-only deploy. Zips the function's bundled code, uploads it to the
 * stack's artifact bucket, points the Lambda at it and waits until the update is live. Infrastructure changes
 * need `npm run deploy`.
 *
 *   npm run synth && npm run deploy:code
 *   npm run deploy:code -- --bucket my-bucket --function api-backend-demo --asset-dir cdk.out/asset.123
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  LambdaClient,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeCommandOutput,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { findFunctionAssetDir } from './lib/asset.js';
import { zipDirectory } from './lib/zip.js';

/** Anything with the SDK v3 `send` method; tests pass fakes that record the commands. */
export interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's own send overloads are command-specific
  send(command: any): Promise<any>;
}

export interface DeployCodeClients {
  s3: Sender;
  lambda: Sender;
  cloudFormation: Sender;
  /** Waits for LastUpdateStatus Successful; the default is the SDK's waitUntilFunctionUpdatedV2. */
  waitForUpdate: (lambda: Sender, functionName: string, maxWaitSeconds: number) => Promise<void>;
  log: (line: string) => void;
}

export interface DeployCodeOptions {
  stackName: string;
  bucket?: string | undefined;
  functionName?: string | undefined;
  /** `cdk deploy --outputs-file` output; read when it exists. */
  outputsFile: string;
  cdkOut: string;
  /** A directory to zip instead of the function's asset in cdkOut. */
  assetDir?: string | undefined;
  keyPrefix: string;
  maxWaitSeconds: number;
}

export interface DeployCodeResult {
  bucket: string;
  key: string;
  functionName: string;
  codeSha256: string | undefined;
}

/** A failure the user can act on; main prints its message without a stack trace. */
export class DeployCodeError extends Error {
  override readonly name = 'DeployCodeError';
}

/**
 * Uploads the code and updates the function: S3 PutObject, Lambda UpdateFunctionCode (S3Bucket/S3Key), then
 * waits for the update to finish.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
 */
export async function deployCode(
  clients: DeployCodeClients,
  options: DeployCodeOptions,
): Promise<DeployCodeResult> {
  const { bucket, functionName } = await resolveTargets(clients, options);
  const assetDir =
    options.assetDir ?? (await findFunctionAssetDir(options.cdkOut, options.stackName, functionName));
  const zip = await zipDirectory(assetDir);
  // Content-addressed key: re-deploying the same code writes the same object, and old versions stay for rollback.
  const digest = createHash('sha256').update(zip).digest('hex');
  const key = `${options.keyPrefix}${functionName}/${digest}.zip`;
  clients.log(`Zipped ${assetDir} (${zip.length} bytes)`);

  await callAws(`upload s3://${bucket}/${key}`, () =>
    clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip, ContentType: 'application/zip' }),
    ),
  );
  clients.log(`Uploaded s3://${bucket}/${key}`);

  const updated = (await callAws(`update the code of ${functionName}`, () =>
    clients.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: functionName, S3Bucket: bucket, S3Key: key }),
    ),
  )) as UpdateFunctionCodeCommandOutput;
  clients.log(`Updating ${functionName}...`);

  await callAws(`wait for ${functionName} to finish updating`, () =>
    clients.waitForUpdate(clients.lambda, functionName, options.maxWaitSeconds),
  );
  clients.log(`${functionName} now runs s3://${bucket}/${key}`);
  return { bucket, key, functionName, codeSha256: updated?.CodeSha256 };
}

/**
 * Bucket and function name: flags first, then the `cdk deploy --outputs-file` JSON, then the stack's outputs
 * (CloudFormation DescribeStacks). CloudFormation is called only when something is still missing.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
export async function resolveTargets(
  clients: Pick<DeployCodeClients, 'cloudFormation' | 'log'>,
  options: Pick<DeployCodeOptions, 'stackName' | 'bucket' | 'functionName' | 'outputsFile'>,
): Promise<{ bucket: string; functionName: string }> {
  let bucket = options.bucket;
  let functionName = options.functionName;
  if (bucket && functionName) return { bucket, functionName };

  const fromFile = await readOutputsFile(options.outputsFile, options.stackName);
  bucket ??= fromFile?.BucketName;
  functionName ??= fromFile?.FunctionName;
  if (fromFile) clients.log(`Read stack outputs from ${options.outputsFile}`);
  if (bucket && functionName) return { bucket, functionName };

  const described = (await callAws(`describe stack ${options.stackName}`, () =>
    clients.cloudFormation.send(new DescribeStacksCommand({ StackName: options.stackName })),
  )) as { Stacks?: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }[] };
  const outputs = Object.fromEntries(
    (described.Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
  );
  bucket ??= outputs.BucketName;
  functionName ??= outputs.FunctionName;
  if (!bucket || !functionName) {
    throw new DeployCodeError(
      `Stack ${options.stackName} has no ${bucket ? '' : 'BucketName '}${functionName ? '' : 'FunctionName '}output; ` +
        'deploy it with `npm run deploy` or pass --bucket and --function',
    );
  }
  return { bucket, functionName };
}

async function readOutputsFile(path: string, stackName: string): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const all = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    return all[stackName];
  } catch {
    throw new DeployCodeError(`${path} is not valid JSON`);
  }
}

/** Names the step that failed; keeps the SDK's error name (AccessDenied, ResourceNotFoundException...). */
async function callAws<T>(step: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DeployCodeError) throw error;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new DeployCodeError(`Could not ${step}: ${name}: ${message}`, { cause: error });
  }
}

/** The SDK waiter; it throws when the update ends in Failed or runs past the wait time. */
export async function sdkWaitForUpdate(
  lambda: Sender,
  functionName: string,
  maxWaitSeconds: number,
): Promise<void> {
  await waitUntilFunctionUpdatedV2(
    { client: lambda as LambdaClient, maxWaitTime: maxWaitSeconds },
    { FunctionName: functionName },
  );
}

const USAGE = `Usage: npm run deploy:code -- [options]

Uploads the function code to the stack's artifact bucket and updates the Lambda.

  --stack <name>         stack whose outputs name the bucket and function (default: Gatehouse)
  --bucket <name>        artifact bucket (default: the stack's BucketName output)
  --function <name>      function to update (default: the stack's FunctionName output)
  --outputs-file <path>  cdk deploy --outputs-file JSON to read first (default: cdk-outputs.json)
  --cdk-out <dir>        synthesized cloud assembly (default: cdk.out)
  --asset-dir <dir>      zip this directory instead of the function's asset in --cdk-out
  --key-prefix <prefix>  S3 key prefix (default: lambda/)
  --region <region>      AWS region (default: the SDK's credential chain and config)
  --max-wait <seconds>   how long to wait for the update (default: 300)

AWS credentials come from the standard chain (env, SSO, profile, OIDC web identity); never from flags.`;

/** Parses argv into options; throws DeployCodeError on bad flags. */
export function parseDeployCodeArgs(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
): { help: true } | { help: false; options: DeployCodeOptions; region: string | undefined } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        stack: { type: 'string' },
        bucket: { type: 'string' },
        function: { type: 'string' },
        'outputs-file': { type: 'string' },
        'cdk-out': { type: 'string' },
        'asset-dir': { type: 'string' },
        'key-prefix': { type: 'string' },
        region: { type: 'string' },
        'max-wait': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DeployCodeError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return { help: true };
  const text = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const maxWait = Number(text('max-wait') ?? '300');
  if (!Number.isInteger(maxWait) || maxWait < 1)
    throw new DeployCodeError('--max-wait must be a positive integer');
  const assetDir = text('asset-dir');
  return {
    help: false,
    region: text('region'),
    options: {
      stackName: text('stack') ?? env.GATEHOUSE_STACK_NAME ?? 'Gatehouse',
      bucket: text('bucket'),
      functionName: text('function'),
      outputsFile: resolve(text('outputs-file') ?? 'cdk-outputs.json'),
      cdkOut: resolve(text('cdk-out') ?? 'cdk.out'),
      assetDir: assetDir ? resolve(assetDir) : undefined,
      keyPrefix: text('key-prefix') ?? 'lambda/',
      maxWaitSeconds: maxWait,
    },
  };
}

/**
 * Path-style S3 addressing for an endpoint on this machine (`AWS_ENDPOINT_URL[_S3]` on localhost, 127.x or ::1, as a
 * local cloud serves it): the SDK would otherwise address `bucket.localhost`, which does not resolve. The CDK CLI
 * makes the same choice. Any other endpoint keeps the SDK's default.
 */
export function s3AddressingFor(env: Readonly<Record<string, string | undefined>>): {
  forcePathStyle?: true;
} {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (!endpoint) return {};
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return {};
  }
  const local =
    host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return local ? { forcePathStyle: true } : {};
}

/** CLI entry; returns the exit code. */
export async function main(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  try {
    const parsed = parseDeployCodeArgs(argv, env);
    if (parsed.help) {
      out(USAGE);
      return 0;
    }
    const config = parsed.region ? { region: parsed.region } : {};
    const result = await deployCode(
      {
        s3: new S3Client({ ...config, ...s3AddressingFor(env) }),
        lambda: new LambdaClient(config),
        cloudFormation: new CloudFormationClient(config),
        waitForUpdate: sdkWaitForUpdate,
        log: out,
      },
      parsed.options,
    );
    out(JSON.stringify(result));
    return 0;
  } catch (error) {
    if (error instanceof DeployCodeError) {
      err(`deploy:code: ${error.message}`);
    } else {
      err(`deploy:code: unexpected ${error instanceof Error ? error.name : 'error'}: ${String(error)}`);
    }
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
