import type {
  UpdateUserPoolClientRequest,
  UpdateUserPoolClientResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolClient.html */
export const updateUserPoolClient: Operation<
  UpdateUserPoolClientRequest,
  UpdateUserPoolClientResponse
> = async ({ service }, req) => {
  const { UserPoolId, ClientId, ...rest } = req;
  const client = service.pools.updateClient(
    UserPoolId as string,
    ClientId as string,
    rest as Record<string, unknown>,
  );
  return { UserPoolClient: service.pools.clientView(client) };
};
