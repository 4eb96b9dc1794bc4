import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { NotAuthorizedException } from '../errors.js';
import { TokenService } from '../service/tokens.js';
import type { Operation } from './types.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * New id and access tokens from a refresh token, and a new refresh token when the client rotates them. Clients with a
 * secret send it as `ClientSecret` (compared in constant time). Amplify v6 (≥ 6.15) refreshes only through this.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
 */
export const getTokensFromRefreshToken: Operation<
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse
> = async ({ service }, req) => {
  const client = service.client(req.ClientId as string);
  if (client.secret !== undefined) {
    if (req.ClientSecret === undefined || req.ClientSecret === '') {
      throw new NotAuthorizedException(
        `Client ${client.id} is configured for secret but secret was not received`,
      );
    }
    if (!timingSafeEqual(digest(req.ClientSecret), digest(client.secret))) {
      throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
    }
  }
  const refreshed = await service.tokens.refresh(client, req.RefreshToken as string, {
    apiFlow: true,
    rotate: true,
    deviceKey: req.DeviceKey,
    triggerSource: 'TokenGeneration_RefreshTokens',
  });
  return { AuthenticationResult: TokenService.result(refreshed) };
};
