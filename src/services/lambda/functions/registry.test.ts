import { mkdtempSync, rmSync } from 'node:fs';
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
