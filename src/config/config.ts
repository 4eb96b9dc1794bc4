import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LISTENER_LIMITS } from '../shared/listen.js';
import type { IssuerMode } from './urls.js';

export type { IssuerMode, UrlInputs, Urls } from './urls.js';
export { createUrls } from './urls.js';

/** Documented default ports; each can be overridden (0 picks a free port). */
export const DEFAULT_PORTS = { idp: 9229, hostedUi: 9230, api: 9231 } as const;

const port = z.coerce.number().int().min(0).max(65535);
const ms = z.coerce.number().int().min(1).max(3_600_000);

const schema = z.object({
  dataDir: z.string().min(1),
  /** The project whose CDK app is synthesized and whose app/ is watched (default: the working directory). */
  projectDir: z.string().min(1),
  host: z.string().min(1),
  /** Host name put in the URLs handed out (Hosted UI, issuer, API); the servers bind to `host`. */
  publicHost: z.string().min(1),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must look like us-east-1'),
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
  ports: z.object({ idp: port, hostedUi: port, api: port }),
  /** The same request, header and keep-alive limits on every listener. */
  limits: z
    .object({ requestTimeoutMs: ms, headersTimeoutMs: ms, keepAliveTimeoutMs: ms })
    .refine((l) => l.headersTimeoutMs <= l.requestTimeoutMs, {
      message: 'headers timeout must not exceed the request timeout',
      path: ['headersTimeoutMs'],
    }),
  issuerMode: z.enum(['local', 'aws']),
  /** Execution environments (worker threads) per function; more concurrent invocations queue. */
  lambdaConcurrency: z.coerce.number().int().min(1).max(100),
  /** The python3 executable that runs `python3.x` functions. */
  python: z.string().min(1),
  cdkOut: z.string().min(1),
  /**
   * `auto` (the default) runs `cdk synth` only when something that feeds it changed since the last synth; `always`
   * (`--synth`) runs it anyway; `never` (`--no-synth`) serves the cloud assembly as it is.
   */
  synth: z.enum(['auto', 'always', 'never']),
  /** Start with no stack deployed (for `cdk deploy` or Terraform to deploy into). */
  empty: z.boolean(),
  watch: z.boolean(),
  /** The opt-in test clock: `POST /_gatehouse/clock` on the Cognito endpoint moves the cloud's time forward. */
  testClock: z.boolean(),
  smtpUrl: z.string().url().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Environment for the `cdk synth` child: the caller's, made hermetic (no telemetry, no version check, no IMDS). */
  synthEnv: z.record(z.string(), z.string()),
});

export type Config = Readonly<z.infer<typeof schema>> & { readonly issuerMode: IssuerMode };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the one validated, immutable config from command-line flags and the environment.
 * This module is the only reader of process.env: everything else receives a Config.
 */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Config {
  const flags = parseFlags(argv);
  const pick = (flag: string, envName: string): string | undefined => {
    const f = flags.get(flag);
    return typeof f === 'string' ? f : env[envName];
  };
  const bool = (flag: string, envName: string, dflt: boolean): boolean => {
    const f = flags.get(flag);
    if (typeof f === 'boolean') return f;
    if (typeof f === 'string') return f !== 'false' && f !== '0';
    const e = env[envName];
    return e === undefined ? dflt : e === 'true' || e === '1';
  };
  const raw = {
    dataDir: resolve(cwd, pick('data-dir', 'GATEHOUSE_DATA_DIR') ?? '.gatehouse'),
    projectDir: resolve(cwd, pick('project-dir', 'GATEHOUSE_PROJECT_DIR') ?? '.'),
    host: pick('host', 'GATEHOUSE_HOST') ?? '127.0.0.1',
    publicHost: pick('public-host', 'GATEHOUSE_PUBLIC_HOST') ?? '127.0.0.1',
    region: pick('region', 'GATEHOUSE_REGION') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    accountId: pick('account-id', 'GATEHOUSE_ACCOUNT_ID') ?? '000000000000',
    ports: {
      idp: pick('idp-port', 'GATEHOUSE_IDP_PORT') ?? DEFAULT_PORTS.idp,
      hostedUi: pick('hosted-ui-port', 'GATEHOUSE_HOSTED_UI_PORT') ?? DEFAULT_PORTS.hostedUi,
      api: pick('api-port', 'GATEHOUSE_API_PORT') ?? DEFAULT_PORTS.api,
    },
    limits: {
      requestTimeoutMs:
        pick('request-timeout-ms', 'GATEHOUSE_REQUEST_TIMEOUT_MS') ??
        DEFAULT_LISTENER_LIMITS.requestTimeoutMs,
      headersTimeoutMs:
        pick('headers-timeout-ms', 'GATEHOUSE_HEADERS_TIMEOUT_MS') ??
        DEFAULT_LISTENER_LIMITS.headersTimeoutMs,
      keepAliveTimeoutMs:
        pick('keep-alive-timeout-ms', 'GATEHOUSE_KEEP_ALIVE_TIMEOUT_MS') ??
        DEFAULT_LISTENER_LIMITS.keepAliveTimeoutMs,
    },
    issuerMode: pick('issuer-mode', 'GATEHOUSE_ISSUER_MODE') ?? 'local',
    // One worker per core keeps the whole local cloud small (bench/gateway.ts: ~150 MB RSS on 2 cores).
    lambdaConcurrency:
      pick('lambda-concurrency', 'GATEHOUSE_LAMBDA_CONCURRENCY') ?? Math.max(2, availableParallelism()),
    python: pick('python', 'GATEHOUSE_PYTHON') ?? findOnPath('python3', env.PATH) ?? 'python3',
    cdkOut: resolve(cwd, pick('cdk-out', 'GATEHOUSE_CDK_OUT') ?? 'cdk.out'),
    synth: synthMode(flags.get('synth') ?? env.GATEHOUSE_SYNTH),
    empty: bool('empty', 'GATEHOUSE_EMPTY', false),
    watch: bool('watch', 'GATEHOUSE_WATCH', false),
    testClock: bool('test-clock', 'GATEHOUSE_TEST_CLOCK', false),
    smtpUrl: pick('smtp-url', 'GATEHOUSE_SMTP_URL'),
    logLevel: pick('log-level', 'GATEHOUSE_LOG_LEVEL') ?? 'info',
    synthEnv: {
      ...Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid config ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return Object.freeze(parsed.data) as Config;
}

/** `--synth` forces a synth, `--no-synth` skips it; GATEHOUSE_SYNTH=true|false|auto; unset is `auto`. */
function synthMode(value: string | boolean | undefined): string {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === true || value === 'true' || value === '1') return 'always';
  if (value === false || value === 'false' || value === '0') return 'never';
  return value; // the schema names the field and rejects it
}

/** The first executable `name` on a PATH (functions run with Lambda's PATH, so the host's is resolved here). */
function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `--name value`, `--name=value`, `--flag`, `--no-flag`. Unknown flags are an error, naming the flag. */
function parseFlags(argv: readonly string[]): Map<string, string | boolean> {
  const known = new Set([
    'data-dir',
    'project-dir',
    'host',
    'public-host',
    'region',
    'account-id',
    'idp-port',
    'hosted-ui-port',
    'api-port',
    'request-timeout-ms',
    'headers-timeout-ms',
    'keep-alive-timeout-ms',
    'issuer-mode',
    'lambda-concurrency',
    'python',
    'cdk-out',
    'synth',
    'empty',
    'watch',
    'test-clock',
    'smtp-url',
    'log-level',
  ]);
  const booleans = new Set(['synth', 'empty', 'watch', 'test-clock']);
  const out = new Map<string, string | boolean>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument: ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let negated = false;
    if (name.startsWith('no-') && booleans.has(name.slice(3))) {
      name = name.slice(3);
      negated = true;
    }
    if (!known.has(name)) throw new ConfigError(`Unknown option: --${name}`);
    if (booleans.has(name)) {
      out.set(name, value === undefined ? !negated : value);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new ConfigError(`Option --${name} needs a value`);
    }
    out.set(name, value);
  }
  return out;
}
