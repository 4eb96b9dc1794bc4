import type { ListUsersRequest, ListUsersResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html */
export const listUsers: Operation<ListUsersRequest, ListUsersResponse> = async ({ service }, req) => {
  const page = service.accounts.listUsers(req.UserPoolId as string, {
    ...(req.Filter !== undefined ? { filter: req.Filter } : {}),
    ...(req.Limit !== undefined ? { limit: req.Limit } : {}),
    ...(req.PaginationToken !== undefined ? { paginationToken: req.PaginationToken } : {}),
    ...(req.AttributesToGet !== undefined ? { attributesToGet: req.AttributesToGet } : {}),
  });
  return { Users: page.users, ...(page.next ? { PaginationToken: page.next } : {}) };
};
