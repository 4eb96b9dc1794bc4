import type {
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html */
export const adminSetUserPassword: Operation<
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse
> = async ({ service }, req) => {
  service.accounts.adminSetUserPassword(
    req.UserPoolId as string,
    req.Username as string,
    req.Password as string,
    req.Permanent === true,
  );
  return {};
};
