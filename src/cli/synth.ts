import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs `cdk synth` offline: no notices, no telemetry, no version check, no lookups (the stack is environment-agnostic).
 * NodejsFunction bundles with the local esbuild, never Docker.
 */
export function runSynth(opts: { cwd: string; outDir: string; env: Record<string, string> }): Promise<void> {
  const cdk = join(opts.cwd, 'node_modules', '.bin', 'cdk');
  if (!existsSync(cdk)) return Promise.reject(new Error('aws-cdk CLI not found: run `npm install` first'));
  return new Promise((resolve, reject) => {
    const child = spawn(cdk, ['synth', '--no-notices', '--quiet', '--output', opts.outDir], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
