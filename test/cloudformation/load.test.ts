import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listStacks, loadTopology, userPoolId } from '../../src/services/cloudformation/index.js';
import { templateErrorOf } from './helpers.js';

const fixtureDir = join(import.meta.dirname, '..', 'fixtures', 'templates', 'triggers');
const fixtureManifest = JSON.parse(readFileSync(join(fixtureDir, 'manifest.json'), 'utf8'));
const stackArtifact = fixtureManifest.artifacts.TriggersStack;
const root = mkdtempSync(join(tmpdir(), 'gatehouse-load-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh cloud assembly holding a copy of the fixture, with `artifacts` as its manifest's artifacts. */
function assembly(
  artifacts: Record<string, unknown>,
  nested?: { dir: string; artifacts: Record<string, unknown> },
) {
  const dir = join(root, `a${counter++}`);
  cpSync(fixtureDir, dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  if (nested) {
    const sub = join(dir, nested.dir);
    cpSync(fixtureDir, sub, { recursive: true });
    writeFileSync(
      join(sub, 'manifest.json'),
      JSON.stringify({ version: '55.0.0', artifacts: nested.artifacts }),
    );
  }
  return dir;
}

const base = { region: 'us-east-1', accountId: '000000000000' };

describe('loadTopology', () => {
  it('reads the only stack of an assembly without being told its name', () => {
    const topology = loadTopology({ cdkOutDir: fixtureDir, ...base });
    expect(topology.stackName).toBe('TriggersStack');
    expect(topology.region).toBe('us-east-1');
    expect(topology.userPools[0]?.id).toBe(userPoolId('us-east-1', 'TriggersStack', 'PoolD3F588B8'));
  });

  it('uses the stack name of the artifact properties, which the ids derive from', () => {
    const dir = assembly({
      Pipeline: {
        ...stackArtifact,
        properties: { ...stackArtifact.properties, stackName: 'prod-gatehouse' },
      },
    });
    const topology = loadTopology({ cdkOutDir: dir, ...base });
    expect(topology.stackName).toBe('prod-gatehouse');
    expect(topology.userPools[0]?.id).toBe(userPoolId('us-east-1', 'prod-gatehouse', 'PoolD3F588B8'));
  });

  it('refuses to guess between several stacks, listing their names', () => {
    const dir = assembly({ One: stackArtifact, Two: stackArtifact });
    expect(templateErrorOf(() => loadTopology({ cdkOutDir: dir, ...base })).message).toBe(
      `The cloud assembly ${dir} has 2 stacks (One, Two); choose one by its stack name`,
    );
    expect(loadTopology({ cdkOutDir: dir, ...base, stackName: 'Two' }).stackName).toBe('Two');
  });

  it('reports a stack name that is not in the assembly, listing the ones that are', () => {
    const err = templateErrorOf(() => loadTopology({ cdkOutDir: fixtureDir, ...base, stackName: 'Nope' }));
    expect(err.message).toBe(`No stack named Nope in ${fixtureDir}; it has: TriggersStack`);
  });

  it('finds stacks of nested (CDK Stage) assemblies and reads their assets from the nested directory', () => {
    const dir = assembly(
      { 'assembly-Dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Dev' } } },
      {
        dir: 'assembly-Dev',
        artifacts: { DevTriggersStack: { ...stackArtifact, displayName: 'Dev/TriggersStack' } },
      },
    );
    expect(listStacks(dir).map((s) => [s.stackName, s.displayName])).toEqual([
      ['DevTriggersStack', 'Dev/TriggersStack'],
    ]);
    const topology = loadTopology({ cdkOutDir: dir, ...base, stackName: 'Dev/TriggersStack' });
    expect(topology.functions[0]?.codeDir.startsWith(join(dir, 'assembly-Dev', 'asset.'))).toBe(true);
  });

  it('uses the account and region a stack pins, since CDK writes them into the template', () => {
    const dir = assembly({
      TriggersStack: { ...stackArtifact, environment: 'aws://123456789012/eu-central-1' },
    });
    const topology = loadTopology({ cdkOutDir: dir, ...base });
    expect(topology.region).toBe('eu-central-1');
    expect(topology.accountId).toBe('123456789012');
    expect(topology.userPools[0]?.id).toMatch(/^eu-central-1_[0-9A-Za-z]{9}$/);
  });

  it('tells the user to synthesize when there is no cloud assembly', () => {
    const missing = join(root, 'missing');
    expect(templateErrorOf(() => loadTopology({ cdkOutDir: missing, ...base })).message).toBe(
      `Cannot read the cloud assembly manifest at ${join(missing, 'manifest.json')} (run \`npm run synth\` first)`,
    );
  });

  it('reports a manifest that is not JSON, naming the file', () => {
    const dir = join(root, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), '{"artifacts": ');
    expect(templateErrorOf(() => loadTopology({ cdkOutDir: dir, ...base })).message).toMatch(
      new RegExp(`^The cloud assembly manifest at ${join(dir, 'manifest.json')} is not valid JSON: `),
    );
  });

  it('reports an assembly with no CloudFormation stack', () => {
    const dir = assembly({ Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } });
    expect(templateErrorOf(() => loadTopology({ cdkOutDir: dir, ...base })).message).toBe(
      `The cloud assembly ${dir} has no CloudFormation stack`,
    );
  });

  it('reports a missing template file, naming the stack', () => {
    const dir = assembly({
      TriggersStack: {
        ...stackArtifact,
        properties: { ...stackArtifact.properties, templateFile: 'gone.json' },
      },
    });
    expect(templateErrorOf(() => loadTopology({ cdkOutDir: dir, ...base })).message).toBe(
      `Cannot read the template of stack TriggersStack at ${join(dir, 'gone.json')}`,
    );
  });
});
