import type {
  AdminSetUserMFAPreferenceRequest,
  AdminSetUserMFAPreferenceResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html */
export const adminSetUserMFAPreference: Operation<
  AdminSetUserMFAPreferenceRequest,
  AdminSetUserMFAPreferenceResponse
> = async ({ service }, req) => {
  const pool = service.pool(req.UserPoolId as string);
  service.mfa.setPreference(pool, service.requireUser(pool, req.Username as string), {
    SMS_MFA: req.SMSMfaSettings,
    SOFTWARE_TOKEN_MFA: req.SoftwareTokenMfaSettings,
    EMAIL_OTP: req.EmailMfaSettings,
  });
  return {};
};
