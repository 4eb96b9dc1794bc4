import type {
  CreateUserPoolRequest,
  CreateUserPoolResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html */
export const createUserPool: Operation<CreateUserPoolRequest, CreateUserPoolResponse> = async (
  { service },
  req,
) => {
  const { PoolName, ...config } = req;
  const pool = await service.pools.createPool(PoolName as string, config as Record<string, unknown>);
  return { UserPool: service.pools.describePool(pool.id) };
};
