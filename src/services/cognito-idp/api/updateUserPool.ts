import type {
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse,
  UpdateUserPoolRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/** What UpdateUserPool cannot change: it keeps them from the pool as created. */
const FIXED = ['Schema', 'UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'] as const;

/**
 * UpdateUserPool: the settings given replace the pool's; settings left out go back to their defaults, as on
 * Cognito (the schema and the sign-in attributes stay as created).
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
 */
export const updateUserPool: Operation<UpdateUserPoolRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  const poolId = req.UserPoolId as string;
  const pool = service.pool(poolId);
  const { UserPoolId: _id, PoolName, ...settings } = req;
  const kept = Object.fromEntries(
    FIXED.flatMap((k) => (pool.config[k] !== undefined ? [[k, pool.config[k]]] : [])),
  );
  // MFA is set by SetUserPoolMfaConfig, and kept when UpdateUserPool leaves it out.
  const mfa =
    pool.config.MfaConfiguration !== undefined ? { MfaConfiguration: pool.config.MfaConfiguration } : {};
  await service.pools.upsertPool(poolId, PoolName ?? pool.name, { ...mfa, ...settings, ...kept });
  return {};
};

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserPoolMfaConfig.html */
export const getUserPoolMfaConfig: Operation<
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse
> = async ({ service }, req) => {
  const c = service.pool(req.UserPoolId as string).config;
  return {
    MfaConfiguration: (c.MfaConfiguration as GetUserPoolMfaConfigResponse['MfaConfiguration']) ?? 'OFF',
    ...(c.SoftwareTokenMfaConfiguration
      ? { SoftwareTokenMfaConfiguration: c.SoftwareTokenMfaConfiguration as never }
      : {}),
    ...(c.SmsMfaConfiguration ? { SmsMfaConfiguration: c.SmsMfaConfiguration as never } : {}),
    ...(c.EmailMfaConfiguration ? { EmailMfaConfiguration: c.EmailMfaConfiguration as never } : {}),
  };
};

/**
 * SetUserPoolMfaConfig: stored and read back; only OFF is emulated at sign-in (ON or OPTIONAL is refused, rather
 * than silently signing in without a second factor).
 */
export const setUserPoolMfaConfig: Operation<
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse
> = async ({ service }, req) => {
  const poolId = req.UserPoolId as string;
  const pool = service.pool(poolId);
  const mfa = req.MfaConfiguration ?? 'OFF';
  if (mfa !== 'OFF') throw new InvalidParameterException('MFA is not emulated by the local cloud: only OFF.');
  await service.pools.upsertPool(poolId, pool.name, { ...pool.config, MfaConfiguration: mfa });
  return { MfaConfiguration: mfa };
};
