import type { GetDeviceRequest, GetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetDevice.html */
export const getDevice: Operation<GetDeviceRequest, GetDeviceResponse> = async ({ service }, req) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  return { Device: service.devices.get(pool, user, req.DeviceKey as string, false) };
};
