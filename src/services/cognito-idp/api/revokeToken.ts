import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { NotAuthorizedException } from '../errors.js';
import type { Operation } from './types.js';

/**
 * Revokes a refresh token and the access tokens minted from it. Clients with a secret must send it.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
 */
export const revokeToken: Operation<RevokeTokenRequest, RevokeTokenResponse> = async ({ service }, req) => {
  const client = service.client(req.ClientId as string);
  if (client.secret !== undefined && req.ClientSecret !== client.secret) {
    throw new NotAuthorizedException('Client secret mismatch.');
  }
  service.tokens.revoke(client, req.Token as string);
  return {};
};
