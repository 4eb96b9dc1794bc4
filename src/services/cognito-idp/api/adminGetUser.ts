import type { AdminGetUserRequest, AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html */
export const adminGetUser: Operation<AdminGetUserRequest, AdminGetUserResponse> = async (
  { service },
  req,
) => {
  const u = service.accounts.adminGetUser(req.UserPoolId as string, req.Username as string);
  const pool = service.pool(req.UserPoolId as string);
  return {
    ...service.mfa.userSettings(pool, service.requireUser(pool, req.Username as string)),
    Username: u.Username,
    UserAttributes: u.UserAttributes,
    UserCreateDate: u.UserCreateDate,
    UserLastModifiedDate: u.UserLastModifiedDate,
    Enabled: u.Enabled,
    UserStatus: u.UserStatus,
  };
};
