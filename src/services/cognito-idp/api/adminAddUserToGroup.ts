import type { AdminAddUserToGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminAddUserToGroup.html */
export const adminAddUserToGroup: Operation<AdminAddUserToGroupRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  service.accounts.adminAddUserToGroup(
    req.UserPoolId as string,
    req.Username as string,
    req.GroupName as string,
  );
  return {};
};
