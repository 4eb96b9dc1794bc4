import type { GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import type { RequestContext } from '../../protocols/index.js';
import type { StsContext } from './types.js';

/**
 * Who the caller is, from the access key in the request's credential scope: a session from AssumeRole is that
 * assumed role; any other key is the configured account's root (signatures are not verified, so any key works).
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const getCallerIdentity =
  (ctx: StsContext) =>
  async (_req: unknown, rc: RequestContext): Promise<GetCallerIdentityResponse> => {
    const session = ctx.sessions.get(rc.scope?.accessKeyId, ctx.clock.now());
    if (session) {
      return {
        UserId: `${session.roleId}:${session.sessionName}`,
        Account: session.accountId,
        Arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
      };
    }
    return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
  };
