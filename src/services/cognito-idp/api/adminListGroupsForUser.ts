import type {
  AdminListGroupsForUserRequest,
  AdminListGroupsForUserResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html */
export const adminListGroupsForUser: Operation<
  AdminListGroupsForUserRequest,
  AdminListGroupsForUserResponse
> = async ({ service }, req) => {
  const page = service.accounts.adminListGroupsForUser(
    req.UserPoolId as string,
    req.Username as string,
    req.Limit ?? 60,
    req.NextToken,
  );
  return { Groups: page.groups, ...(page.next ? { NextToken: page.next } : {}) };
};
