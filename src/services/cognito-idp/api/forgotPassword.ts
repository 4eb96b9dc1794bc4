import type {
  ForgotPasswordRequest,
  ForgotPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html */
export const forgotPassword: Operation<ForgotPasswordRequest, ForgotPasswordResponse> = async (
  { service },
  req,
) => {
  const client = service.client(req.ClientId as string);
  service.checkSecretHash(client, [req.Username], req.SecretHash);
  return {
    CodeDeliveryDetails: await service.accounts.forgotPassword(
      client,
      req.Username as string,
      req.ClientMetadata,
    ),
  };
};
