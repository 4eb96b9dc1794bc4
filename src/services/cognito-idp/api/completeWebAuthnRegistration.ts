import type {
  CompleteWebAuthnRegistrationRequest,
  CompleteWebAuthnRegistrationResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CompleteWebAuthnRegistration.html */
export const completeWebAuthnRegistration: Operation<
  CompleteWebAuthnRegistrationRequest,
  CompleteWebAuthnRegistrationResponse
> = async ({ service }, req) => {
  const { pool, user, clientId } = await service.tokens.verifyAccess(req.AccessToken as string);
  await service.webAuthn.completeRegistration(pool, user, clientId, req.Credential);
  return {};
};
