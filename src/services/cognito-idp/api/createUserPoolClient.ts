import type {
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html */
export const createUserPoolClient: Operation<
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse
> = async ({ service }, req) => {
  const { UserPoolId, ...rest } = req;
  const client = service.pools.createClient(UserPoolId as string, rest as Record<string, unknown>);
  return { UserPoolClient: service.pools.clientView(client) };
};
