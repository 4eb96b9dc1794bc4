import type {
  AdminEnableUserRequest,
  AdminEnableUserResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html */
export const adminEnableUser: Operation<AdminEnableUserRequest, AdminEnableUserResponse> = async (
  { service },
  req,
) => {
  service.accounts.adminSetEnabled(req.UserPoolId as string, req.Username as string, true);
  return {};
};
