/**
 * Running Terraform against the local cloud, offline: a CLI config pointing at the provider mirror in
 * /opt/tf-plugins, AWS_ENDPOINT_URL at the cloud's one AWS endpoint, dummy credentials. Each run works in its own
 * temp directory, so test files can run in parallel.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PLUGIN_MIRROR = '/opt/tf-plugins';

/**
 * Fails (never skips) when terraform or the provider mirror is missing: these tests must not pass silently on a
 * machine that cannot run them.
 */
export function requireTerraform(): string {
  let version: string;
  try {
    version = execFileSync('terraform', ['version'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
  } catch {
    throw new Error(
      'terraform is not installed (not on the PATH): the Terraform tests need terraform >= 1.11 and the hashicorp/aws provider in /opt/tf-plugins',
    );
  }
  if (!existsSync(PLUGIN_MIRROR)) {
    throw new Error(
      `The Terraform provider mirror ${PLUGIN_MIRROR} is missing: the Terraform tests need hashicorp/aws 5.x there`,
    );
  }
  return version.split('\n')[0] ?? version;
}

export interface TerraformRun {
  stdout: string;
  stderr: string;
  code: number;
}

export interface TerraformDir {
  dir: string;
  run(args: string[]): Promise<TerraformRun>;
  /** Runs and throws with Terraform's output unless it exits 0. */
  ok(args: string[]): Promise<string>;
  outputs(): Promise<Record<string, string>>;
}

/** Copies a configuration into a fresh temp dir and returns a runner for it against `awsEndpoint`. */
export function terraformDir(source: string, awsEndpoint: string): TerraformDir {
  const base = mkdtempSync(join(tmpdir(), 'gatehouse-tf-'));
  const dir = join(base, 'config');
  cpSync(source, dir, {
    recursive: true,
    filter: (p) => !/\.terraform|terraform\.tfstate|node_modules/.test(p),
  });
  const cliConfig = join(base, 'cli.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_MIRROR}"\n  }\n}\n`,
  );
  const cache = join(base, 'plugin-cache');
  mkdirSync(cache);
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_PLUGIN_CACHE_DIR: cache,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const run = (args: string[]) =>
    new Promise<TerraformRun>((resolve) => {
      execFile(
        'terraform',
        [...args],
        { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ stdout, stderr, code });
        },
      );
    });
  const ok = async (args: string[]) => {
    const r = await run(args);
    if (r.code !== 0)
      throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  return {
    dir,
    run,
    ok,
    async outputs() {
      const raw = JSON.parse(await ok(['output', '-json'])) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v.value)]));
    },
  };
}
