// `npm run gen:shapes`: regenerates the model of every AWS service we serve from the local botocore's data (Apache-2.0)
// and records the botocore version used in each generated file.
//
// Each service folder names what it serves in a `gen-shapes.json` beside its operation registry:
//   { "service": "sts", "operations": ["GetCallerIdentity", ...], "output": "model.gen.ts" }
// (`output` is relative to that file). The generated file keeps, for those operations only, the input and output
// shapes with the traits the protocol layer reads (locations, xml names, constraints); documentation is dropped.
//
// botocore is found through `python3 -c 'import botocore'`, or BOTOCORE_DIR (the package folder, holding data/).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const botocoreDir =
  process.env.BOTOCORE_DIR ??
  execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
const version = /__version__ = '([^']+)'/.exec(readFileSync(join(botocoreDir, '__init__.py'), 'utf8'))?.[1];
if (!version) throw new Error(`no botocore version in ${botocoreDir}`);

function findConfigs(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) findConfigs(p, out);
    else if (e.name === 'gen-shapes.json') out.push(p);
  }
  return out;
}

function loadModel(service) {
  const base = join(botocoreDir, 'data', service);
  const dates = readdirSync(base)
    .filter(
      (d) => existsSync(join(base, d, 'service-2.json.gz')) || existsSync(join(base, d, 'service-2.json')),
    )
    .sort();
  const date = dates.at(-1);
  if (!date) throw new Error(`no botocore model for ${service}`);
  const gz = join(base, date, 'service-2.json.gz');
  const raw = existsSync(gz)
    ? gunzipSync(readFileSync(gz))
    : readFileSync(join(base, date, 'service-2.json'));
  return { model: JSON.parse(raw.toString('utf8')), source: `data/${service}/${date}/service-2.json` };
}

const SHAPE_KEYS = [
  'min',
  'max',
  'pattern',
  'enum',
  'sensitive',
  'payload',
  'flattened',
  'locationName',
  'xmlNamespace',
  'timestampFormat',
  'streaming',
  'requiresLength',
  'eventstream',
  'document',
  'union',
  'error',
  'exception',
];
const MEMBER_KEYS = [
  'location',
  'locationName',
  'xmlAttribute',
  'xmlNamespace',
  'flattened',
  'jsonvalue',
  'timestampFormat',
  'idempotencyToken',
  'hostLabel',
  'queryName',
];

function generate(configPath) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  const { model, source } = loadModel(config.service);
  const shapes = {};
  const visit = (name) => {
    if (shapes[name]) return;
    const s = model.shapes[name];
    if (!s) throw new Error(`${config.service}: no shape ${name}`);
    const c = { type: s.type };
    shapes[name] = c;
    for (const k of SHAPE_KEYS) if (s[k] !== undefined) c[k] = s[k];
    if (s.type === 'structure') {
      c.required = s.required ?? [];
      c.members = {};
      for (const [m, def] of Object.entries(s.members ?? {})) {
        const ref = { shape: def.shape };
        for (const k of MEMBER_KEYS) if (def[k] !== undefined) ref[k] = def[k];
        c.members[m] = ref;
        visit(def.shape);
      }
    } else if (s.type === 'list') {
      c.member = { shape: s.member.shape };
      if (s.member.locationName) c.member.locationName = s.member.locationName;
      visit(s.member.shape);
    } else if (s.type === 'map') {
      c.key = { shape: s.key.shape };
      c.value = { shape: s.value.shape };
      if (s.key.locationName) c.key.locationName = s.key.locationName;
      if (s.value.locationName) c.value.locationName = s.value.locationName;
      visit(s.key.shape);
      visit(s.value.shape);
    }
  };
  const operations = {};
  for (const op of [...config.operations].sort()) {
    const o = model.operations[op];
    if (!o) throw new Error(`${config.service}: no such operation ${op}`);
    const entry = { http: o.http };
    if (o.input) {
      entry.input = o.input.shape;
      visit(o.input.shape);
    }
    if (o.output) {
      entry.output = o.output.shape;
      if (o.output.resultWrapper) entry.resultWrapper = o.output.resultWrapper;
      visit(o.output.shape);
    }
    if (o.errors?.length) entry.errors = o.errors.map((e) => e.shape);
    operations[op] = entry;
  }
  const m = model.metadata;
  const out = {
    service: config.service,
    botocore: version,
    source,
    apiVersion: m.apiVersion,
    protocol: m.protocol,
    signingName: m.signingName ?? m.endpointPrefix,
    ...(m.jsonVersion ? { jsonVersion: m.jsonVersion } : {}),
    ...(m.targetPrefix ? { targetPrefix: m.targetPrefix } : {}),
    ...(m.xmlNamespace ? { xmlNamespace: m.xmlNamespace } : {}),
    operations,
    shapes,
  };
  const target = resolve(dirname(configPath), config.output);
  let rel = relative(dirname(target), join(root, 'src/protocols/model.js'));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  writeFileSync(
    target,
    `// Generated by \`npm run gen:shapes\` (scripts/gen-shapes.mjs) from botocore ${version}, ${source}\n` +
      `// (Apache-2.0), for the operations named in gen-shapes.json. Do not edit.\n` +
      `import type { ServiceModel } from '${rel}';\n\n` +
      `export const model: ServiceModel = ${JSON.stringify(out, null, 2)};\n`,
  );
  const line = `${relative(root, target)}: ${config.service} ${Object.keys(operations).length} operations (botocore ${version})`;
  return { file: target, line };
}

const configs = findConfigs(join(root, 'src/services'));
const written = configs.map(generate);
// The generated files follow the project's formatting, so `npm run lint` stays clean after a regeneration.
execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', ...written.map((w) => w.file)], {
  cwd: root,
  stdio: 'ignore',
});
for (const w of written) process.stdout.write(`${w.line}\n`);
