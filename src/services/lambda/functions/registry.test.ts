import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import { LambdaStore } from '../../../store/lambda.js';
import type { FunctionSpec } from '../../cloudformation/types.js';
import { FunctionRegistry } from './registry.js';

const zip = (body: string) => zipSync({ 'index.mjs': strToU8(body) });
const spec = (name: string, codeDir = '') => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  codeDir,
  timeout: 3,
  memorySize: 128,
  environment: {},
});

describe('functions made through the API', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('are kept across a reopen and through every redeploy of the stacks, until deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-registry-'));
    dirs.push(dir);
    const stackFn: FunctionSpec = spec('stack-fn', join(dir, 'asset'));
    const open = (store: LambdaStore, freshDeploy: boolean) =>
      new FunctionRegistry({
        functions: [],
        store,
        codeRoot: join(dir, 'code'),
        clock: new FakeClock(),
        freshDeploy,
        onChange: () => {},
      });
    let store = LambdaStore.open(dir);
    const a = open(store, false);
    const { codeDir: _, ...made } = spec('made');
    a.create(made, zip('export const handler = async () => 1;'), 'by the API');
    a.updateConfig('made', { Timeout: 9 });
    const before = a.get('made');
    store.close();

    store = LambdaStore.open(dir);
    try {
      // A start that deploys the stack afresh keeps it: it is not the stack's.
      const b = open(store, true);
      expect(b.get('made')).toMatchObject({
        spec: { ...made, timeout: 9, codeDir: before?.spec.codeDir },
        description: 'by the API',
        codeSha256: before?.codeSha256,
        revisionId: before?.revisionId,
      });
      b.redeploy([stackFn], true);
      expect(b.list().map((f) => f.spec.name)).toEqual(['made', 'stack-fn']);
      b.delete('made');
      expect(open(store, false).get('made')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

describe("a stack's deploys of a function", () => {
  it('replace its configuration, its code only when given; resetUpdates puts the deployed code back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-registry-'));
    const asset = join(dir, 'asset');
    mkdirSync(asset);
    writeFileSync(join(asset, 'index.mjs'), 'export const handler = async () => "asset";');
    const changed: FunctionSpec[] = [];
    const store = LambdaStore.open(dir);
    try {
      const r = new FunctionRegistry({
        functions: [],
        store,
        codeRoot: join(dir, 'code'),
        clock: new FakeClock(),
        freshDeploy: false,
        onChange: (s) => changed.push(s),
      });
      const { codeDir: _, ...base } = spec('fn');
      const made = r.create(base, { dir: asset }, 'v1');
      expect(made.spec.codeDir).toBe(asset);
      // A hotswap, then a deploy that changes only the configuration: the hotswapped code stays.
      const swapped = r.updateCode('fn', zip('export const handler = async () => "swapped";'));
      r.updateConfig('fn', { MemorySize: 512 });
      const kept = r.deploy({ ...base, timeout: 8 }, undefined, 'v2');
      expect(kept).toMatchObject({
        spec: { timeout: 8, memorySize: 128, codeDir: swapped.spec.codeDir },
        codeSha256: swapped.codeSha256,
        description: 'v2',
      });
      expect(changed.at(-1)).toEqual(kept.spec);
      // The hotswap is an update made through the API: a fresh deploy drops it.
      expect(r.resetUpdates('fn')).toBe(true);
      expect(r.get('fn')).toMatchObject({
        spec: { timeout: 8, codeDir: asset },
        codeSha256: made.codeSha256,
      });
      expect(r.resetUpdates('fn')).toBe(false);
      // A deploy with code replaces it.
      const next = r.deploy(base, zip('export const handler = async () => "next";'), 'v3');
      expect(next.spec.codeDir).not.toBe(asset);
      expect(next.codeSha256).not.toBe(made.codeSha256);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
