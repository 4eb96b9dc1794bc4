import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ServiceModel } from '../../src/protocols/index.js';

const root = resolve(import.meta.dirname, '../..');

function configs(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) configs(p, out);
    else if (e.name === 'gen-shapes.json') out.push(p);
  }
  return out;
}

/**
 * The generated models are tied to what they serve: each `gen-shapes.json` names the operations, and its generated
 * file must hold exactly those (re-run `npm run gen:shapes` after editing the list), from one botocore version.
 */
describe('generated service models', () => {
  const found = configs(join(root, 'src/services'));

  it('exist for every protocol service', () => {
    expect(found.map((f) => dirname(f).slice(root.length + 1)).sort()).toEqual(
      expect.arrayContaining(['src/services/cognito-idp/api', 'src/services/s3', 'src/services/sts']),
    );
  });

  it.each(found.map((f) => [f.slice(root.length + 1), f]))(
    '%s matches its generated model',
    async (_name, file) => {
      const config = JSON.parse(readFileSync(file, 'utf8')) as {
        service: string;
        operations: string[];
        output: string;
      };
      const { model } = (await import(pathToFileURL(resolve(dirname(file), config.output)).href)) as {
        model: ServiceModel;
      };
      expect(model.service).toBe(config.service);
      expect(Object.keys(model.operations).sort()).toEqual([...config.operations].sort());
      expect(model.botocore).toMatch(/^\d+\.\d+\.\d+$/);
      for (const op of Object.values(model.operations)) {
        if (op.input) expect(model.shapes[op.input], op.input).toBeDefined();
      }
    },
  );
});
