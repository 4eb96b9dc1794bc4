/**
 * `npm run lint` holds the layers with dependency-cruiser (.dependency-cruiser.cjs). This test copies src/ to a temp
 * dir, writes one wrong import per rule into the copy, and shows each is reported (and that the real tree passes).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string): Violation[] {
  const args = [depcruise, 'src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

const copy = mkdtempSync(join(tmpdir(), 'gatehouse-layers-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function write(file: string, text: string) {
  const path = join(copy, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('layer lint (dependency-cruiser)', () => {
  it('passes on the real tree', () => {
    expect(cruise(root)).toEqual([]);
  });

  it('fails each wrong import written into a copy of src/, naming the rule it breaks', () => {
    cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
    cpSync(join(root, 'tsconfig.json'), join(copy, 'tsconfig.json'));
    // Services another helper adds later (S3) are covered by the same generic rules.
    write('src/services/s3/handlers.ts', 'export const handlers = {};\n');
    write('src/services/s3/index.ts', "export { handlers } from './handlers.js';\n");
    const wrong: Record<string, [string, string]> = {
      'src/services/lambda/wrongCli.ts': ['../../cli.js', 'nothing-imports-the-cli'],
      'src/store/wrongService.ts': ['../services/apigateway/index.js', 'store-imports-no-service'],
      'src/services/apigateway/wrongCognito.ts': ['../cognito-idp/index.js', 'gateway-never-imports-cognito'],
      'src/config/wrongService.ts': ['../services/lambda/index.js', 'lower-layers-import-no-service'],
      'src/protocols/wrongService.ts': ['../services/s3/index.js', 'lower-layers-import-no-service'],
      'src/shared/wrongStore.ts': ['../store/index.js', 'shared-is-the-bottom'],
      'src/services/lambda/wrongDeep.ts': [
        '../cognito-idp/service/core.js',
        'services-meet-through-interfaces',
      ],
      'src/edge/wrongDeep.ts': ['../services/s3/handlers.js', 'services-meet-through-interfaces'],
    };
    for (const [file, [target]] of Object.entries(wrong)) {
      write(file, `export * from '${target}';\n`);
    }
    // Through a service's declared interface files: allowed.
    write(
      'src/services/lambda/rightInterfaces.ts',
      "export * from '../cloudformation/index.js';\nexport type * from '../cloudformation/types.js';\n",
    );
    write('src/edge/rightInterface.ts', "export * from '../services/s3/index.js';\n");

    const found = cruise(copy);
    for (const [file, [, rule]] of Object.entries(wrong)) {
      expect(found.filter((v) => v.from === file).map((v) => v.rule.name)).toContain(rule);
    }
    const allowed = found.filter((v) => v.from.includes('/right'));
    expect(allowed).toEqual([]);
    // Nothing else in the copy is reported: only the wrong imports written above.
    expect(new Set(found.map((v) => v.from))).toEqual(new Set(Object.keys(wrong)));
  });
});
