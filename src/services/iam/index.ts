/**
 * IAM (awsQuery) on the one AWS endpoint: roles, managed policies with versions, inline role policies, attachments
 * and tags. Stored, NOT enforced: no call in the local cloud is checked against these policies.
 */
import { type AwsService, queryService } from '../../protocols/index.js';
import { model } from './model.gen.js';
import { iamOperations } from './operations.js';
import type { IamStore } from './store.js';

export { checkPolicyDocument, IamStore, type ManagedPolicy, type Role } from './store.js';

export function iamService(store: IamStore): AwsService {
  return queryService({
    model,
    operations: iamOperations(store),
    codes: { validation: 'ValidationError', internal: 'ServiceFailure' },
  });
}
