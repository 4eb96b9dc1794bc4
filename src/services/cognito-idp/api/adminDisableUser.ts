import type {
  AdminDisableUserRequest,
  AdminDisableUserResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html */
export const adminDisableUser: Operation<AdminDisableUserRequest, AdminDisableUserResponse> = async (
  { service },
  req,
) => {
  service.accounts.adminSetEnabled(req.UserPoolId as string, req.Username as string, false);
  return {};
};
