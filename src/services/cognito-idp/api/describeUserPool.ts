import type {
  DescribeUserPoolRequest,
  DescribeUserPoolResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html */
export const describeUserPool: Operation<DescribeUserPoolRequest, DescribeUserPoolResponse> = async (
  { service },
  req,
) => ({
  UserPool: service.pools.describePool(req.UserPoolId as string),
});
