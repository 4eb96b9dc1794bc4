/**
 * IAM (awsQuery) on the one AWS endpoint: roles, managed policies with versions, inline role policies, attachments
 * and tags. Stored, NOT enforced: no call in the local cloud is checked against these policies.
 */
import { type AwsService, queryService } from '../../protocols/index.js';
import { committing } from '../../store/records.js';
import { model } from './model.gen.js';
import { iamOperations } from './operations.js';
import type { IamStore } from './store.js';

export { checkPolicyDocument, IamStore, type ManagedPolicy, type Role } from './store.js';

export function iamService(store: IamStore): AwsService {
  return queryService({
    model,
    // Every operation's changes are stored before it answers (a no-op for a store without records).
    operations: committing(iamOperations(store), () => store.commit()),
    codes: { validation: 'ValidationError', internal: 'ServiceFailure' },
  });
}
