import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html */
export const initiateAuth: Operation<InitiateAuthRequest, InitiateAuthResponse> = async (
  { service },
  req,
) => {
  const client = service.client(req.ClientId as string);
  if (req.AuthFlow === 'ADMIN_USER_PASSWORD_AUTH' || req.AuthFlow === 'ADMIN_NO_SRP_AUTH') {
    throw new InvalidParameterException('Initiate Auth method not supported.');
  }
  if (req.AuthFlow === 'CUSTOM_AUTH') {
    return service.customAuth.initiate(client, req.AuthParameters ?? {}, req.ClientMetadata);
  }
  if (req.AuthFlow === 'USER_AUTH')
    return service.userAuth.initiate(client, req.AuthParameters ?? {}, req.Session);
  return service.auth.initiate(client, req.AuthFlow as string, req.AuthParameters ?? {}, false);
};
