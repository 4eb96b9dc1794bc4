import type {
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html */
export const getUserAttributeVerificationCode: Operation<
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse
> = async ({ service }, req) => ({
  CodeDeliveryDetails: await service.accounts.getUserAttributeVerificationCode(
    req.AccessToken as string,
    req.AttributeName as string,
  ),
});
