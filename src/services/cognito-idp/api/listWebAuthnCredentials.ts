import type {
  ListWebAuthnCredentialsRequest,
  ListWebAuthnCredentialsResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListWebAuthnCredentials.html */
export const listWebAuthnCredentials: Operation<
  ListWebAuthnCredentialsRequest,
  ListWebAuthnCredentialsResponse
> = async ({ service }, req) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  return service.webAuthn.list(pool, user, req.MaxResults ?? 10, req.NextToken);
};
