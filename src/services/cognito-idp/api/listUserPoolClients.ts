import type {
  ListUserPoolClientsRequest,
  ListUserPoolClientsResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClients.html */
export const listUserPoolClients: Operation<ListUserPoolClientsRequest, ListUserPoolClientsResponse> = async (
  { service },
  req,
) => {
  const page = service.pools.listClients(req.UserPoolId as string, req.MaxResults ?? 60, req.NextToken);
  return { UserPoolClients: page.clients, ...(page.next ? { NextToken: page.next } : {}) };
};
