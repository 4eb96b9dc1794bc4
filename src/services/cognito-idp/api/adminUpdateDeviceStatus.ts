import type {
  AdminUpdateDeviceStatusRequest,
  AdminUpdateDeviceStatusResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateDeviceStatus.html */
export const adminUpdateDeviceStatus: Operation<
  AdminUpdateDeviceStatusRequest,
  AdminUpdateDeviceStatusResponse
> = async ({ service }, req) => {
  const pool = service.pool(req.UserPoolId as string);
  const user = service.requireUser(pool, req.Username as string);
  service.devices.setStatus(pool, user, req.DeviceKey as string, req.DeviceRememberedStatus);
  return {};
};
