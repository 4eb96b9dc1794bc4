import type {
  DeleteWebAuthnCredentialRequest,
  DeleteWebAuthnCredentialResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteWebAuthnCredential.html */
export const deleteWebAuthnCredential: Operation<
  DeleteWebAuthnCredentialRequest,
  DeleteWebAuthnCredentialResponse
> = async ({ service }, req) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  service.webAuthn.delete(pool, user, req.CredentialId as string);
  return {};
};
