import type {
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { mfaConfigOf } from '../service/mfaConfig.js';
import { webAuthnConfigOf } from '../service/userAuthConfig.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserPoolMfaConfig.html */
export const getUserPoolMfaConfig: Operation<
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse
> = async ({ service }, req) => {
  const pool = service.pool(req.UserPoolId as string);
  return { ...mfaConfigOf(pool), ...webAuthnConfigOf(pool) };
};
