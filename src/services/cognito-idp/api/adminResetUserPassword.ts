import type {
  AdminResetUserPasswordRequest,
  AdminResetUserPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html */
export const adminResetUserPassword: Operation<
  AdminResetUserPasswordRequest,
  AdminResetUserPasswordResponse
> = async ({ service }, req) => {
  await service.accounts.adminResetUserPassword(req.UserPoolId as string, req.Username as string);
  return {};
};
