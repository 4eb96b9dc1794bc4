import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html */
export const changePassword: Operation<ChangePasswordRequest, ChangePasswordResponse> = async (
  { service },
  req,
) => {
  await service.accounts.changePassword(
    req.AccessToken as string,
    req.PreviousPassword ?? '',
    req.ProposedPassword as string,
  );
  return {};
};
