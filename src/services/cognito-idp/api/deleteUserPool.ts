import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html */
export const deleteUserPool: Operation<DeleteUserPoolRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  service.pools.deletePool(req.UserPoolId as string);
  return {};
};
