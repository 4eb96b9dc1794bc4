import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html */
export const getUser: Operation<GetUserRequest, GetUserResponse> = async ({ service }, req) =>
  service.accounts.getUser(req.AccessToken as string);
