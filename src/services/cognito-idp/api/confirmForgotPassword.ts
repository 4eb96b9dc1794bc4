import type {
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html */
export const confirmForgotPassword: Operation<
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse
> = async ({ service }, req) => {
  const client = service.client(req.ClientId as string);
  service.checkSecretHash(client, [req.Username], req.SecretHash);
  await service.accounts.confirmForgotPassword(client, {
    username: req.Username as string,
    code: req.ConfirmationCode as string,
    password: req.Password as string,
  });
  return {};
};
