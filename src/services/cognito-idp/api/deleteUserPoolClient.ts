import type { DeleteUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClient.html */
export const deleteUserPoolClient: Operation<DeleteUserPoolClientRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  service.pools.deleteClient(req.UserPoolId as string, req.ClientId as string);
  return {};
};
