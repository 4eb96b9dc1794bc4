// `npm run build:function-zip`: the Lambda package IaC/ deploys, built from app/functions/api.ts the way the CDK
// stack's NodejsFunction bundles it (esbuild, ESM, one index.mjs), zipped with fflate into IaC/build/function.zip.
// Usage: node scripts/build-function-zip.mjs [OUT_ZIP]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? resolve(root, 'IaC/build/function.zip'));
const result = await build({
  entryPoints: [resolve(root, 'app/functions/api.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  sourcemap: false,
  write: false,
  outfile: 'index.mjs',
  logLevel: 'warning',
});
const file = result.outputFiles?.[0];
if (!file) throw new Error('esbuild produced no output');
mkdirSync(dirname(out), { recursive: true });
// A fixed timestamp: the same source gives the same zip, so Terraform's source_code_hash only changes with the code.
const mtime = new Date(Date.UTC(1980, 0, 1));
writeFileSync(out, zipSync({ 'index.mjs': [file.contents, { mtime }] }));
process.stdout.write(`${out}\n`);
