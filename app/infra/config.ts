import { z } from 'zod';

/**
 * Configuration of the Gatehouse CDK stack, validated once. It comes from CDK context (`cdk synth -c key=value`,
 * or `context` in cdk.json) or from `GATEHOUSE_*` environment variables; context wins. AWS credentials are not
 * configuration: the CDK CLI and the AWS SDK take them from the standard credential chain.
 *
 * | field            | context key        | env var                        | default                            |
 * |------------------|--------------------|--------------------------------|------------------------------------|
 * | stackName        | `stackName`        | `GATEHOUSE_STACK_NAME`         | `Gatehouse`                        |
 * | region           | `region`           | `GATEHOUSE_REGION`             | none: environment-agnostic stack   |
 * | userPoolName     | `userPoolName`     | `GATEHOUSE_USER_POOL_NAME`     | `gatehouse-users`                  |
 * | appClientName    | `appClientName`    | `GATEHOUSE_APP_CLIENT_NAME`    | `gatehouse-app`                    |
 * | domainPrefix     | `domainPrefix`     | `GATEHOUSE_DOMAIN_PREFIX`      | `gatehouse-demo`                   |
 * | callbackUrls     | `callbackUrls`     | `GATEHOUSE_CALLBACK_URLS`      | `http://localhost:3000/callback`   |
 * | logoutUrls       | `logoutUrls`       | `GATEHOUSE_LOGOUT_URLS`        | `http://localhost:3000/`           |
 * | apiName          | `apiName`          | `GATEHOUSE_API_NAME`           | `serverless_lambda_gw`             |
 * | stageName        | `stageName`        | `GATEHOUSE_STAGE_NAME`         | `serverless_lambda_stage`          |
 * | functionName     | `functionName`     | `GATEHOUSE_FUNCTION_NAME`      | `api-backend-demo`                 |
 * | authorizerName   | `authorizerName`   | `GATEHOUSE_AUTHORIZER_NAME`    | `api-authorizer`                   |
 * | logRetentionDays | `logRetentionDays` | `GATEHOUSE_LOG_RETENTION_DAYS` | `7`                                |
 */
export interface StackConfig {
  readonly stackName: string;
  readonly region: string | undefined;
  readonly userPoolName: string;
  readonly appClientName: string;
  readonly domainPrefix: string;
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly apiName: string;
  readonly stageName: string;
  readonly functionName: string;
  readonly authorizerName: string;
  /** One of CloudWatch Logs' allowed retention periods. */
  readonly logRetentionDays: number;
}

/** The defaults work for the local cloud and for a first deploy (only `domainPrefix` must be globally unique). */
export const DEFAULT_STACK_CONFIG: StackConfig = Object.freeze({
  stackName: 'Gatehouse',
  region: undefined,
  userPoolName: 'gatehouse-users',
  appClientName: 'gatehouse-app',
  domainPrefix: 'gatehouse-demo',
  callbackUrls: Object.freeze(['http://localhost:3000/callback']),
  logoutUrls: Object.freeze(['http://localhost:3000/']),
  apiName: 'serverless_lambda_gw',
  stageName: 'serverless_lambda_stage',
  functionName: 'api-backend-demo',
  authorizerName: 'api-authorizer',
  logRetentionDays: 7,
});

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const ENV_NAMES: Record<keyof StackConfig, string> = {
  stackName: 'GATEHOUSE_STACK_NAME',
  region: 'GATEHOUSE_REGION',
  userPoolName: 'GATEHOUSE_USER_POOL_NAME',
  appClientName: 'GATEHOUSE_APP_CLIENT_NAME',
  domainPrefix: 'GATEHOUSE_DOMAIN_PREFIX',
  callbackUrls: 'GATEHOUSE_CALLBACK_URLS',
  logoutUrls: 'GATEHOUSE_LOGOUT_URLS',
  apiName: 'GATEHOUSE_API_NAME',
  stageName: 'GATEHOUSE_STAGE_NAME',
  functionName: 'GATEHOUSE_FUNCTION_NAME',
  authorizerName: 'GATEHOUSE_AUTHORIZER_NAME',
  logRetentionDays: 'GATEHOUSE_LOG_RETENTION_DAYS',
};

/**
 * Cognito accepts `https://` redirect URIs, and `http://` only for localhost.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 */
const redirectUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}, 'must be an absolute https:// URL (http:// only for localhost) without a fragment');

const urlList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : value,
  z.array(redirectUrl).min(1, 'needs at least one URL'),
);

/** The name rules of the resources that carry these names (CloudFormation, Lambda, API Gateway, Cognito). */
const schema = z.object({
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be a valid CloudFormation stack name'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1')
    .optional(),
  userPoolName: z.string().regex(/^[\w\s+=,.@-]{1,128}$/, 'must be 1-128 characters of [\\w\\s+=,.@-]'),
  appClientName: z.string().regex(/^[\w\s+=,.@-]{1,128}$/, 'must be 1-128 characters of [\\w\\s+=,.@-]'),
  domainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lowercase letters, digits and inner hyphens')
    .refine((value) => !/aws|amazon|cognito/.test(value), 'may not contain "aws", "amazon" or "cognito"'),
  callbackUrls: urlList,
  logoutUrls: urlList,
  apiName: z.string().min(1).max(128),
  stageName: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1-128 characters of [A-Za-z0-9_-]'),
  functionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_-]'),
  authorizerName: z.string().min(1).max(128),
  logRetentionDays: z.coerce.number().refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), {
    message: `must be one of ${RETENTION_DAYS.join(', ')}`,
  }),
});

/** Reads one CDK context value (`app.node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

/**
 * Builds the stack config from CDK context, then `GATEHOUSE_*` env vars, then the defaults. Throws at synth time,
 * naming every bad field, when a value makes no sense.
 */
export function loadStackConfig(
  context: ContextReader,
  env: Readonly<Record<string, string | undefined>>,
): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ENV_NAMES) as (keyof StackConfig)[]) {
    const fromContext = context(key);
    const fromEnv = env[ENV_NAMES[key]];
    const value = fromContext ?? (fromEnv === '' ? undefined : fromEnv) ?? DEFAULT_STACK_CONFIG[key];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof StackConfig;
      return `${key} (context "${key}" or env ${ENV_NAMES[key]}): ${issue.message}`;
    });
    throw new Error(`Invalid Gatehouse stack config:\n  ${problems.join('\n  ')}`);
  }
  const config: StackConfig = {
    ...parsed.data,
    region: parsed.data.region,
    callbackUrls: Object.freeze([...parsed.data.callbackUrls]),
    logoutUrls: Object.freeze([...parsed.data.logoutUrls]),
  };
  return Object.freeze(config);
}
