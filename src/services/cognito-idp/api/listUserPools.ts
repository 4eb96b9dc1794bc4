import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html */
export const listUserPools: Operation<ListUserPoolsRequest, ListUserPoolsResponse> = async (
  { service },
  req,
) => {
  const page = service.pools.listPools(req.MaxResults as number, req.NextToken);
  return { UserPools: page.pools, ...(page.next ? { NextToken: page.next } : {}) };
};
