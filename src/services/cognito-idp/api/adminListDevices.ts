import type {
  AdminListDevicesRequest,
  AdminListDevicesResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListDevices.html */
export const adminListDevices: Operation<AdminListDevicesRequest, AdminListDevicesResponse> = async (
  { service },
  req,
) => {
  const pool = service.pool(req.UserPoolId as string);
  const user = service.requireUser(pool, req.Username as string);
  return service.devices.list(pool, user, req.Limit, req.PaginationToken, true);
};
