/**
 * Template → topology: what the local cloud runs, read from the synthesized CDK app (cdk.out).
 * `loadTopology` is the entry point for `npm start`; `topologyFromTemplate` works on a template object.
 */
export { TemplateError } from './errors.js';
export { apiChildId, generatedName, httpApiId, userPoolClientId, userPoolId } from './ids.js';
export { UNRESOLVED_PREFIX } from './intrinsics.js';
export type { LoadTopologyOptions, StackArtifact } from './load.js';
export { listStacks, loadTopology, topologyFromTemplate } from './load.js';
export {
  groupRequest,
  managedLoginBrandingRequest,
  resourceServerRequest,
  userPoolName,
  userPoolRequest,
} from './readUserPools.js';
export type { TopologyOptions, Translation } from './topology.js';
export { ACCOUNT_THROTTLING, translateTemplate } from './topology.js';
export type * from './types.js';
