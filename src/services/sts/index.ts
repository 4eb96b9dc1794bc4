/**
 * STS (awsQuery) on the one AWS endpoint: GetCallerIdentity and AssumeRole. Signatures are parsed for routing and
 * NOT verified; any credentials work.
 */
import { type AwsService, queryService } from '../../protocols/index.js';
import { systemClock } from '../../shared/clock.js';
import { assumeRole } from './assumeRole.js';
import { getCallerIdentity } from './getCallerIdentity.js';
import { model } from './model.gen.js';
import { RoleSessions } from './sessions.js';
import type { StsContext } from './types.js';

export { model } from './model.gen.js';

/** Every STS operation served, by its wire name (`Action=`). */
export function stsOperations(ctx: StsContext) {
  return { AssumeRole: assumeRole(ctx), GetCallerIdentity: getCallerIdentity(ctx) };
}

export function createStsService(o: { accountId: string; clock?: StsContext['clock'] }): AwsService {
  const ctx: StsContext = {
    accountId: o.accountId,
    clock: o.clock ?? systemClock,
    sessions: new RoleSessions(),
  };
  return queryService({ model, operations: stsOperations(ctx) });
}
