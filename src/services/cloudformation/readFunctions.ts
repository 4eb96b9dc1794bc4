/**
 * `AWS::Lambda::Function` → {@link FunctionSpec}: handler, runtime, limits, environment, and where its code is.
 * Inline code is only planned here (a directory and file name); writing it is load.ts's job.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InlineCodeFile } from './inlineCode.js';
import type { Resolver } from './intrinsics.js';
import { fail, isRecord, numberOr, requireString } from './readProperties.js';
import { UNRESOLVED_PREFIX } from './template.js';
import type { TopologyOptions } from './topology.js';
import type { FunctionSpec } from './types.js';

export function readFunction(
  r: Resolver,
  id: string,
  opts: TopologyOptions,
  warnings: string[],
  inlineCode: InlineCodeFile[],
): FunctionSpec {
  const props = r.properties(id);
  const name = r.ref(id, id);
  const config = readFunctionConfig(r, id, props, warnings);
  return {
    logicalId: id,
    name,
    arn: `arn:${r.partition}:lambda:${r.region}:${r.accountId}:function:${name}`,
    ...config,
    codeDir: codeDirOf(r, id, props, config.runtime, opts, inlineCode),
  };
}

/** One function's handler, runtime, limits and environment, from its resolved properties (no code). */
export function readFunctionConfig(
  r: Resolver,
  id: string,
  props: Record<string, unknown>,
  warnings: string[],
): Pick<FunctionSpec, 'handler' | 'runtime' | 'timeout' | 'memorySize' | 'environment'> {
  if (props.PackageType === 'Image' || (isRecord(props.Code) && props.Code.ImageUri !== undefined)) {
    fail(r, id, 'container image functions are not supported locally; use a zip (asset) function');
  }
  const runtime = requireString(r, id, props.Runtime, 'Runtime');
  const environment: Record<string, string> = {};
  const variables = isRecord(props.Environment) ? props.Environment.Variables : undefined;
  if (variables !== undefined && !isRecord(variables)) fail(r, id, 'Environment.Variables must be an object');
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      fail(r, id, `Environment.Variables.${key} must be a string`);
    }
    environment[key] = String(value);
    // The function may never read it, so this is a warning: a start-up error would block the whole stack.
    if (environment[key].includes(UNRESOLVED_PREFIX)) {
      warnings.push(`${id}: environment variable ${key} has no local value (${environment[key]})`);
    }
  }
  if (props.Layers !== undefined) warnings.push(`${id}: Layers are not loaded locally`);
  return {
    handler: requireString(r, id, props.Handler, 'Handler'),
    runtime,
    timeout: numberOr(r, id, props.Timeout, 'Timeout', 3),
    memorySize: numberOr(r, id, props.MemorySize, 'MemorySize', 128),
    environment,
  };
}

/**
 * Where the function's unzipped code is: the asset directory CDK names in the resource's `aws:asset:path`
 * metadata, else the `asset.<hash>` directory of a CDK `<hash>.zip` S3 key, else inline `ZipFile` code
 * written to a directory of its own.
 */
function codeDirOf(
  r: Resolver,
  id: string,
  props: Record<string, unknown>,
  runtime: string,
  opts: TopologyOptions,
  inlineCode: InlineCodeFile[],
): string {
  const code = isRecord(props.Code) ? props.Code : {};
  const assetPath = r.resource(id)?.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return existingDir(r, id, resolve(opts.assetBaseDir, assetPath));
  if (typeof code.ZipFile === 'string') return planInlineCode(r, id, code.ZipFile, runtime, opts, inlineCode);
  const key = typeof code.S3Key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(code.S3Key) : null;
  if (key) return existingDir(r, id, resolve(opts.assetBaseDir, `asset.${key[1]}`));
  return fail(
    r,
    id,
    'has no local code: no aws:asset:path metadata, no CDK asset S3Key and no Code.ZipFile (synthesize with the CDK CLI)',
  );
}

function existingDir(r: Resolver, id: string, dir: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return fail(r, id, `its code directory ${dir} does not exist; run \`npm run synth\``);
  }
  if (!isDir) fail(r, id, `its code asset ${dir} is a file; only directory assets are supported locally`);
  return dir;
}

/** Where inline `ZipFile` code goes: a directory named by stack, resource and content; the file is only listed here. */
function planInlineCode(
  r: Resolver,
  id: string,
  source: string,
  runtime: string,
  opts: TopologyOptions,
  inlineCode: InlineCodeFile[],
): string {
  const file = inlineFileName(runtime);
  if (!file)
    fail(r, id, `inline Code.ZipFile is only supported for nodejs and python runtimes, not ${runtime}`);
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  const dir = join(
    opts.inlineCodeDir ?? join(tmpdir(), 'gatehouse-inline-code'),
    `${safe(r.stackName)}-${safe(id)}-${digest}`,
  );
  inlineCode.push({ dir, file: file as string, source });
  return dir;
}

/** Lambda writes ZipFile code to index.js (Node.js) or index.py (Python); other runtimes have none. */
export function inlineFileName(runtime: string): string | undefined {
  return runtime.startsWith('nodejs') ? 'index.js' : runtime.startsWith('python') ? 'index.py' : undefined;
}
