import type { FunctionSpec } from '../cloudformation/types.js';

/** Where a function's logs would go in CloudWatch. */
export function logGroupNameOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * The environment a function's execution environment sees: the template's variables, then Lambda's reserved
 * variables on top (CloudFormation refuses templates that set a reserved key, so the order only matters for
 * hand-written topologies). Nothing of the host's own environment leaks in: no credentials, no local paths.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export function lambdaEnvironment(
  fn: FunctionSpec,
  o: { region: string; logStreamName: string; version?: string },
): Record<string, string> {
  return {
    ...fn.environment,
    _HANDLER: fn.handler,
    AWS_REGION: o.region,
    AWS_DEFAULT_REGION: o.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: o.version ?? '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupNameOf(fn.name),
    AWS_LAMBDA_LOG_STREAM_NAME: o.logStreamName,
    LAMBDA_TASK_ROOT: fn.codeDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    TZ: ':UTC',
  };
}

/** `2026/01/01/[$LATEST]<32 hex>` (`[3]` for version 3), the shape of a Lambda log stream name; one per execution environment. */
export function logStreamNameOf(epochMs: number, hex32: string, version = '$LATEST'): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/[${version}]${hex32}`;
}
