import type {
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html */
export const setUserMFAPreference: Operation<
  SetUserMFAPreferenceRequest,
  SetUserMFAPreferenceResponse
> = async ({ service }, req) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  service.mfa.setPreference(pool, user, {
    SMS_MFA: req.SMSMfaSettings,
    SOFTWARE_TOKEN_MFA: req.SoftwareTokenMfaSettings,
    EMAIL_OTP: req.EmailMfaSettings,
  });
  return {};
};
