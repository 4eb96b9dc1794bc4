import type {
  UpdateDeviceStatusRequest,
  UpdateDeviceStatusResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateDeviceStatus.html */
export const updateDeviceStatus: Operation<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse> = async (
  { service },
  req,
) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  service.devices.setStatus(pool, user, req.DeviceKey as string, req.DeviceRememberedStatus);
  return {};
};
