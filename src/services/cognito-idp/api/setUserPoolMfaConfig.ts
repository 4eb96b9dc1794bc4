import type {
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { mfaConfigFields, mfaConfigOf } from '../service/mfaConfig.js';
import { checkTierFeatures, webAuthnConfigFields, webAuthnConfigOf } from '../service/userAuthConfig.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html */
export const setUserPoolMfaConfig: Operation<
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse
> = async ({ service }, req) => {
  const pool = service.pool(req.UserPoolId as string);
  const fields = { ...mfaConfigFields(pool, req), ...webAuthnConfigFields(req) };
  checkTierFeatures({ ...pool.config, ...fields });
  const updated = service.setPoolMfaConfig(pool, fields);
  return { ...mfaConfigOf(updated), ...webAuthnConfigOf(updated) };
};
