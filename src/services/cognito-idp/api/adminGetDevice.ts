import type {
  AdminGetDeviceRequest,
  AdminGetDeviceResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetDevice.html */
export const adminGetDevice: Operation<AdminGetDeviceRequest, AdminGetDeviceResponse> = async (
  { service },
  req,
) => {
  const pool = service.pool(req.UserPoolId as string);
  const user = service.requireUser(pool, req.Username as string);
  return { Device: service.devices.get(pool, user, req.DeviceKey as string, true) };
};
