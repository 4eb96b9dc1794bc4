import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmDevice.html */
export const confirmDevice: Operation<ConfirmDeviceRequest, ConfirmDeviceResponse> = async (
  { service },
  req,
) => {
  const { pool, user } = await service.tokens.verifyAccess(req.AccessToken as string);
  return service.devices.confirm(
    pool,
    user,
    req.DeviceKey as string,
    req.DeviceSecretVerifierConfig,
    req.DeviceName,
  );
};
