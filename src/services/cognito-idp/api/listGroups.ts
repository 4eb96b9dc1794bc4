import type { ListGroupsRequest, ListGroupsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html */
export const listGroups: Operation<ListGroupsRequest, ListGroupsResponse> = async ({ service }, req) => {
  const page = service.groups.listGroups(req.UserPoolId as string, req.Limit ?? 60, req.NextToken);
  return { Groups: page.groups, ...(page.next ? { NextToken: page.next } : {}) };
};
