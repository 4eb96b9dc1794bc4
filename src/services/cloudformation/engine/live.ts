/**
 * What a stack serves: the topology (user pools, functions, HTTP APIs) of the resources it has now, read with the
 * same translation `npm start` always used. Custom resources are left out (the engine runs them itself, so their
 * provider functions stay invocable), and functions whose code the engine installed point at that code.
 */
import { topologyFromTemplate } from '../load.js';
import type { CfnTemplate } from '../template.js';
import type { Topology } from '../types.js';
import { CODE_DIR } from './lambdaCode.js';
import type { ResourceState } from './types.js';

const isCustom = (type: string) =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

export interface LiveOptions {
  stackName: string;
  region: string;
  accountId: string;
  parameters: Record<string, string>;
  assetBaseDir: string;
  inlineCodeDir: string;
}

/** The template restricted to the resources in `resources`, ready for the topology translation. */
export function liveTemplate(
  template: CfnTemplate,
  resources: Readonly<Record<string, ResourceState>>,
): CfnTemplate {
  const kept: CfnTemplate['Resources'] = {};
  for (const [id, res] of Object.entries(template.Resources)) {
    const state = resources[id];
    if (!state || isCustom(res.Type)) continue;
    const codeDir = state.attributes[CODE_DIR];
    kept[id] =
      typeof codeDir === 'string'
        ? { ...res, Metadata: { ...res.Metadata, 'aws:asset:path': codeDir } }
        : res;
  }
  return { ...template, Resources: kept, Outputs: {} };
}

export function liveTopology(
  template: CfnTemplate,
  resources: Readonly<Record<string, ResourceState>>,
  o: LiveOptions,
): Topology {
  return topologyFromTemplate(liveTemplate(template, resources), o);
}
