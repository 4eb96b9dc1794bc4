import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgetDevice.html */
export const forgetDevice: Operation<ForgetDeviceRequest, Record<string, never>> = async (
  { service },
  req,
) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  service.devices.forget(pool, user, req.DeviceKey as string);
  return {};
};
