import type {
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/**
 * Checks a code of the associated TOTP secret and turns TOTP on; through a session it moves MFA_SETUP on.
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
 */
export const verifySoftwareToken: Operation<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse> = async (
  { service },
  req,
) => {
  const code = req.UserCode as string;
  if (req.AccessToken) {
    const { pool, user } = await service.tokens.verifyAccess(req.AccessToken);
    return service.mfa.verify({ pool, user }, code);
  }
  if (req.Session) return service.mfa.verify({ session: req.Session }, code);
  throw new InvalidParameterException('Either AccessToken or Session must be provided.');
};
