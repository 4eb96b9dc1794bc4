import type { AdminDeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html */
export const adminDeleteUser: Operation<AdminDeleteUserRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  service.accounts.adminDeleteUser(req.UserPoolId as string, req.Username as string);
  return {};
};
