import type {
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/**
 * A new TOTP secret for the user, by access token or by the MFA_SETUP challenge's session.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
 */
export const associateSoftwareToken: Operation<
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse
> = async ({ service }, req) => {
  if (req.AccessToken) {
    const { pool, user } = await service.tokens.verifyAccess(req.AccessToken);
    return service.mfa.associate({ pool, user });
  }
  if (req.Session) return service.mfa.associate({ session: req.Session });
  throw new InvalidParameterException('Either AccessToken or Session must be provided.');
};
