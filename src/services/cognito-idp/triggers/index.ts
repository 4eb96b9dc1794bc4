/** The triggers of a pool with none configured: every call resolves to Cognito's defaults without invoking anything. */
export { noTriggers } from '../service/triggers.js';
export { COGNITO_TRIGGER_TIMEOUT_MS } from './invoke.js';
export type { PoolTriggersOptions } from './poolTriggers.js';
export { createPoolTriggers, preTokenGenerationVersionOf, triggersOfConfig } from './poolTriggers.js';
export { PROTECTED_CLAIMS } from './preTokenGeneration.js';
export type * from './types.js';
