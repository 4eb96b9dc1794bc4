import type {
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html */
export const resendConfirmationCode: Operation<
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse
> = async ({ service }, req) => {
  const client = service.client(req.ClientId as string);
  service.checkSecretHash(client, [req.Username], req.SecretHash);
  return {
    CodeDeliveryDetails: await service.accounts.resendConfirmationCode(client, req.Username as string),
  };
};
