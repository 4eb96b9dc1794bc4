export { type CodeSource, CodeSourceError, type LambdaApiDeps, LambdaControl } from './api/index.js';
export { lambdaEnvironment, logGroupNameOf } from './env.js';
export { CodeError, installZip } from './functions/code.js';
export {
  type ConfigPatch,
  FunctionRegistry,
  type FunctionRegistryOptions,
  type FunctionState,
} from './functions/registry.js';
export { type LambdaInternal, lambdaInternal, type PermissionInput } from './internal.js';
export { MAX_RESPONSE_BYTES } from './results.js';
export { LambdaRuntime } from './runtime.js';
export type { FunctionStats, LambdaRuntimeOptions, RuntimeLogger, RuntimeStats } from './runtime-types.js';
export { lambdaApiService } from './service.js';
