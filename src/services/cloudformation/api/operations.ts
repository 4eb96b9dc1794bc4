import type { OperationRegistry } from '../../../protocols/index.js';
import { changeSetOperations } from './changesets.js';
import type { CloudFormationDeps } from './common.js';
import { stackOperations } from './stacks.js';

/** Every CloudFormation operation the local cloud serves, by wire name (the model in ./model.gen.ts must agree). */
export function cloudFormationOperations(d: CloudFormationDeps): OperationRegistry {
  const ops: OperationRegistry = { ...stackOperations(d), ...changeSetOperations(d) };
  return ops;
}
