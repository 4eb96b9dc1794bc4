import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html */
export const globalSignOut: Operation<GlobalSignOutRequest, GlobalSignOutResponse> = async (
  { service },
  req,
) => {
  await service.accounts.globalSignOut(req.AccessToken as string);
  return {};
};
