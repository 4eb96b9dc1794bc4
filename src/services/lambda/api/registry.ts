import type { OperationRegistry } from '../../../protocols/index.js';
import { LambdaControl, lambdaControlOperations } from './control.js';
import type { LambdaApiDeps } from './deps.js';
import { invoke } from './invoke.js';
import { getFunction, getFunctionConfiguration, listFunctions } from './read.js';
import { updateFunctionCode, updateFunctionConfiguration } from './update.js';

export { LambdaControl } from './control.js';
export { type CodeSource, CodeSourceError, type LambdaApiDeps } from './deps.js';

/** Every Lambda operation the local cloud serves, by wire name (the model in ./model.gen.ts must agree). */
export function lambdaOperations(d: LambdaApiDeps, control = new LambdaControl()): OperationRegistry {
  const latestRuntime = (name: string) => d.registry.get(name)?.spec.runtime ?? '';
  const base: OperationRegistry = {
    GetFunction: getFunction(d),
    GetFunctionConfiguration: getFunctionConfiguration(d),
    UpdateFunctionCode: updateFunctionCode(d),
    UpdateFunctionConfiguration: updateFunctionConfiguration(d),
    ListFunctions: listFunctions(d),
    // A qualifier runs the published version (or the alias's) that the control holds (./versions.ts).
    Invoke: invoke(d, (name, q) => control.resolve(name, q, latestRuntime(name))),
  };
  // CreateFunction, DeleteFunction, versions, aliases, permissions, tags; reads carry Role and Tags (./control.ts).
  return { ...base, ...lambdaControlOperations(d, control, base) };
}
