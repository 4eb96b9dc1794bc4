/**
 * The real CDK CLI (node_modules/.bin/cdk) against a local cloud: one synthesis of the project's stack per test file
 * into a temp cloud assembly, variants of it (a template change, a handler change) made by editing that assembly
 * the way a re-synthesis would change it, and a runner with AWS_ENDPOINT_URL, dummy credentials and no network.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const cdkBin = join(root, 'node_modules/.bin/cdk');

export interface CdkResult {
  code: number;
  output: string;
}

/** Runs the CDK CLI with the local cloud as its AWS endpoint (HOME is the temp dir: no cached accounts or config). */
export function cdk(endpoint: string, home: string, args: string[], cwd = root): Promise<CdkResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cdkBin, ...args, '--no-notices', '--no-color'],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_ENDPOINT_URL: endpoint,
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_REGION: 'us-east-1',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
          CDK_DISABLE_VERSION_CHECK: '1',
          FORCE_COLOR: '0',
        },
        maxBuffer: 32 * 1024 * 1024,
        timeout: 170_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Synthesizes the project's stack once into `outDir` (the CLI's own synth, offline). */
export async function synthProject(endpoint: string, home: string, outDir: string): Promise<void> {
  const r = await cdk(endpoint, home, ['synth', '--quiet', '--output', outDir]);
  if (r.code !== 0) throw new Error(`cdk synth failed:\n${r.output}`);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Replaces `from` with `to` in every JSON file at the top of the assembly (template, assets, manifest). */
function replaceEverywhere(dir: string, from: string, to: string): void {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const p = join(dir, f);
    writeFileSync(p, readFileSync(p, 'utf8').split(from).join(to));
  }
}

/** The stack's template file and its asset hash (the S3 key the CLI uploads it under). */
function templateOf(dir: string, stack: string): { file: string; hash: string } {
  const assets = JSON.parse(readFileSync(join(dir, `${stack}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const hash = Object.entries(assets.files).find(([, f]) => f.source.path === `${stack}.template.json`)?.[0];
  if (!hash) throw new Error(`no template asset for ${stack} in ${dir}`);
  return { file: join(dir, `${stack}.template.json`), hash };
}

/**
 * A copy of the assembly whose template `edit` changed, with the template's asset hash renewed as a synthesis
 * would (the CLI uploads templates by hash and skips hashes it finds).
 */
export function withTemplate(
  base: string,
  outDir: string,
  stack: string,
  edit: (template: { Resources: Record<string, unknown> }) => void,
): string {
  cpSync(base, outDir, { recursive: true });
  const { file, hash } = templateOf(outDir, stack);
  const template = JSON.parse(readFileSync(file, 'utf8'));
  edit(template);
  const body = JSON.stringify(template, null, 1);
  writeFileSync(file, body);
  replaceEverywhere(outDir, hash, sha256(body));
  return outDir;
}

/** A copy of the assembly whose code asset `assetHash` had `from` replaced by `to` in `file`, under a new hash. */
export function withCode(
  base: string,
  outDir: string,
  assetHash: string,
  file: string,
  from: string,
  to: string,
): string {
  cpSync(base, outDir, { recursive: true });
  const path = join(outDir, `asset.${assetHash}`, file);
  const source = readFileSync(path, 'utf8');
  if (!source.includes(from)) throw new Error(`${file} of asset ${assetHash} has no ${from}`);
  const changed = source.split(from).join(to);
  writeFileSync(path, changed);
  const next = sha256(`${assetHash}:${changed}`);
  renameSync(join(outDir, `asset.${assetHash}`), join(outDir, `asset.${next}`));
  replaceEverywhere(outDir, assetHash, next);
  return outDir;
}

/** The asset hash of the stack's function whose logical id starts with `prefix`. */
export function functionAsset(dir: string, stack: string, prefix: string): string {
  const template = JSON.parse(readFileSync(join(dir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  const hit = Object.entries(template.Resources).find(
    ([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::Lambda::Function',
  );
  const path = hit?.[1].Metadata?.['aws:asset:path'];
  if (typeof path !== 'string') throw new Error(`no function ${prefix}* with an asset in ${dir}`);
  return path.replace(/^asset\./, '');
}
