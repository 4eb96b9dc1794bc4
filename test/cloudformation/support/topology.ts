import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadTopology,
  type Topology,
  type TopologyOptions,
} from '../../../src/services/cloudformation/index.js';

export const fixtureDir = join(import.meta.dirname, '..', '..', 'fixtures', 'templates', 'triggers');
export interface FixtureResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}
export const fixture = JSON.parse(readFileSync(join(fixtureDir, 'TriggersStack.template.json'), 'utf8')) as {
  Resources: Record<string, FixtureResource>;
};
export const opts: TopologyOptions = {
  stackName: 'TriggersStack',
  region: 'us-east-1',
  accountId: '000000000000',
  assetBaseDir: fixtureDir,
};

/** The fixture template with `edit` applied to a deep copy. */
export function edited(edit: (resources: (typeof fixture)['Resources']) => void): typeof fixture {
  const copy = structuredClone(fixture);
  edit(copy.Resources);
  return copy;
}

/** Sets (or, with undefined, deletes) a property of a resource, `path` leading through nested objects. */
export function set(
  resources: Record<string, FixtureResource>,
  logicalId: string,
  path: string[],
  value: unknown,
): void {
  let node = resources[logicalId]?.Properties as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export const load = (): Topology =>
  loadTopology({ cdkOutDir: fixtureDir, region: 'us-east-1', accountId: '000000000000' });
