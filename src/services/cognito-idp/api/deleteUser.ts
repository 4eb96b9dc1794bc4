import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html */
export const deleteUser: Operation<DeleteUserRequest, Record<string, never>> = async ({ service }, req) => {
  await service.accounts.deleteUser(req.AccessToken as string);
  return {};
};
