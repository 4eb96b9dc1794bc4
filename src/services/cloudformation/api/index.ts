/**
 * CloudFormation's read side (awsQuery) for the stack `npm start` deployed: DescribeStacks with outputs resolved to
 * local values, ListStackResources, DescribeStackResources and GetTemplate.
 */
import { type AwsService, queryService } from '../../../protocols/index.js';
import { model } from './model.gen.js';
import { type CloudFormationDeps, cloudFormationOperations } from './operations.js';

export { type DeployedStack, type ReadStackOptions, readDeployedStack } from './deployed-stack.js';
export { type LocalEndpoints, localizer } from './localize.js';
export type { CloudFormationDeps } from './operations.js';

export function cloudFormationService(d: CloudFormationDeps): AwsService {
  return queryService({
    model,
    operations: cloudFormationOperations(d),
    codes: { validation: 'ValidationError', internal: 'InternalFailure' },
  });
}
