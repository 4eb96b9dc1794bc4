import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec } from '../../src/services/cloudformation/types.js';
import type { RuntimeLogger } from '../../src/services/lambda/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** A temp directory holding handler files; removed by cleanup(). */
export function codeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-runtime-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  dirs.push(dir);
  return dir;
}

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function fn(name: string, dir: string, over: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    logicalId: `${name}Fn`,
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    codeDir: dir,
    timeout: 3,
    memorySize: 128,
    environment: {},
    ...over,
  };
}

/** Collects what the runtime logs, so tests can assert that nothing sensitive is logged and crashes are reported. */
export function memoryLogger(): RuntimeLogger & { entries: { level: string; obj: object; msg?: string }[] } {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** For vi.waitFor: poll until the condition holds; generous so a loaded 2-core CI machine does not flake. */
export const WAIT = { timeout: 10_000, interval: 5 };
