export { lambdaEnvironment, logGroupNameOf } from './env.js';
export { MAX_RESPONSE_BYTES } from './results.js';
export { LambdaRuntime } from './runtime.js';
export type { FunctionStats, LambdaRuntimeOptions, RuntimeLogger, RuntimeStats } from './runtime-types.js';
