import type {
  StartWebAuthnRegistrationRequest,
  StartWebAuthnRegistrationResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartWebAuthnRegistration.html */
export const startWebAuthnRegistration: Operation<
  StartWebAuthnRegistrationRequest,
  StartWebAuthnRegistrationResponse
> = async ({ service }, req) => {
  const { pool, user, clientId } = await service.tokens.verifyAccess(req.AccessToken as string);
  return {
    CredentialCreationOptions: (await service.webAuthn.startRegistration(pool, user, clientId)) as never,
  };
};
