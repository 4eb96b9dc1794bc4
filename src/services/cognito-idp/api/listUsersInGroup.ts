import type {
  ListUsersInGroupRequest,
  ListUsersInGroupResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html */
export const listUsersInGroup: Operation<ListUsersInGroupRequest, ListUsersInGroupResponse> = async (
  { service },
  req,
) => {
  const page = service.accounts.listUsersInGroup(
    req.UserPoolId as string,
    req.GroupName as string,
    req.Limit ?? 60,
    req.NextToken,
  );
  return { Users: page.users, ...(page.next ? { NextToken: page.next } : {}) };
};
