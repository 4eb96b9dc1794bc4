import type {
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifyUserAttribute.html */
export const verifyUserAttribute: Operation<VerifyUserAttributeRequest, VerifyUserAttributeResponse> = async (
  { service },
  req,
) => {
  await service.accounts.verifyUserAttribute(
    req.AccessToken as string,
    req.AttributeName as string,
    req.Code as string,
  );
  return {};
};
