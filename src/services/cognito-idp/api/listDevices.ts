import type { ListDevicesRequest, ListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListDevices.html */
export const listDevices: Operation<ListDevicesRequest, ListDevicesResponse> = async ({ service }, req) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  return service.devices.list(pool, user, req.Limit, req.PaginationToken, false);
};
