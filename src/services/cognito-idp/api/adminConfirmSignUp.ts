import type {
  AdminConfirmSignUpRequest,
  AdminConfirmSignUpResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html */
export const adminConfirmSignUp: Operation<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse> = async (
  { service },
  req,
) => {
  await service.accounts.adminConfirmSignUp(req.UserPoolId as string, req.Username as string);
  return {};
};
