import type { AdminRemoveUserFromGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRemoveUserFromGroup.html */
export const adminRemoveUserFromGroup: Operation<
  AdminRemoveUserFromGroupRequest,
  Record<string, never>
> = async ({ service }, req) => {
  service.accounts.adminRemoveUserFromGroup(
    req.UserPoolId as string,
    req.Username as string,
    req.GroupName as string,
  );
  return {};
};
