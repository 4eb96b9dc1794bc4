import type {
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html */
export const adminUserGlobalSignOut: Operation<
  AdminUserGlobalSignOutRequest,
  AdminUserGlobalSignOutResponse
> = async ({ service }, req) => {
  service.accounts.adminUserGlobalSignOut(req.UserPoolId as string, req.Username as string);
  return {};
};
