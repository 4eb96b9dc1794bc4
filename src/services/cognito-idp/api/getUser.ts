import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html */
export const getUser: Operation<GetUserRequest, GetUserResponse> = async ({ service }, req) => {
  const res = await service.accounts.getUser(req.AccessToken as string);
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  return { ...res, ...service.mfa.userSettings(pool, user) };
};
