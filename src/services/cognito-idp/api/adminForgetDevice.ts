import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminForgetDevice.html */
export const adminForgetDevice: Operation<AdminForgetDeviceRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  const pool = service.pool(req.UserPoolId as string);
  const user = service.requireUser(pool, req.Username as string);
  service.devices.forget(pool, user, req.DeviceKey as string);
  return {};
};
