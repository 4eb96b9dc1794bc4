import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthInputs } from './synth-inputs.js';

/** Beside the assembly's own files: the hash of the inputs it was synthesized from (see synth-inputs.ts). */
export const SYNTH_STAMP = 'gatehouse-synth.json';

export interface SynthOptions {
  cwd: string;
  outDir: string;
  env: Record<string, string>;
  /** Directories never hashed as sources (the state directory). */
  skipDirs?: string[];
}

export interface SynthDecision {
  synthesized: boolean;
  /** Why, in a few words, for the log line. */
  reason: string;
  /** How many source files were hashed. */
  files: number;
}

/**
 * Runs `cdk synth` unless the cloud assembly in `outDir` was synthesized from exactly the inputs there are now
 * (`force` runs it anyway). The stamp is removed before a synth and written after a successful one, so an
 * interrupted or failed synth is never taken for an up-to-date assembly.
 */
export async function synthIfChanged(opts: SynthOptions & { force: boolean }): Promise<SynthDecision> {
  const inputs = synthInputs({
    projectDir: opts.cwd,
    env: opts.env,
    skipDirs: [opts.outDir, ...(opts.skipDirs ?? [])],
  });
  const stamp = join(opts.outDir, SYNTH_STAMP);
  const previous = readStamp(stamp);
  const assembly = existsSync(join(opts.outDir, 'manifest.json'));
  if (!opts.force && assembly && previous === inputs.hash) {
    return {
      synthesized: false,
      reason: 'nothing that feeds it changed since the last synth',
      files: inputs.files,
    };
  }
  const reason = opts.force
    ? 'forced (--synth)'
    : !assembly || previous === undefined
      ? 'no previous synth into this directory'
      : 'its inputs changed since the last synth';
  rmSync(stamp, { force: true });
  await runSynth(opts);
  const tmp = `${stamp}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ hash: inputs.hash, files: inputs.files })}\n`, { mode: 0o600 });
  renameSync(tmp, stamp);
  return { synthesized: true, reason, files: inputs.files };
}

function readStamp(path: string): string | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { hash?: unknown };
    return typeof v.hash === 'string' ? v.hash : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `cdk synth` offline: no notices, no telemetry, no version check, no lookups (the stack is environment-agnostic).
 * NodejsFunction bundles with the local esbuild, never Docker.
 *
 * `--no-validation` leaves out the CDK's built-in CloudFormation validation plugin (a WebAssembly template linter):
 * about two thirds of the synth's CPU time, for findings that are warnings unless the app opts into
 * `@aws-cdk/core:strictCfnValidateErrors`, and that a quiet synth does not show. It changes nothing in the assembly.
 * Plugins the app registers itself (cdk-nag) still run, and `npm run synth` and `cdk deploy` still validate.
 */
export function runSynth(opts: SynthOptions): Promise<void> {
  const cdk = join(opts.cwd, 'node_modules', '.bin', 'cdk');
  if (!existsSync(cdk)) return Promise.reject(new Error('aws-cdk CLI not found: run `npm install` first'));
  return new Promise((resolve, reject) => {
    const child = spawn(
      cdk,
      ['synth', '--no-notices', '--quiet', '--no-validation', '--output', opts.outDir],
      {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`cdk synth failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}
