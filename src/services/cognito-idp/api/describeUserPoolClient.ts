import type {
  DescribeUserPoolClientRequest,
  DescribeUserPoolClientResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html */
export const describeUserPoolClient: Operation<
  DescribeUserPoolClientRequest,
  DescribeUserPoolClientResponse
> = async ({ service }, req) => ({
  UserPoolClient: service.pools.describeClient(req.UserPoolId as string, req.ClientId as string),
});
