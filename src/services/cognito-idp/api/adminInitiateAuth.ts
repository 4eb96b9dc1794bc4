import type {
  AdminInitiateAuthRequest,
  AdminInitiateAuthResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html */
export const adminInitiateAuth: Operation<AdminInitiateAuthRequest, AdminInitiateAuthResponse> = async (
  { service },
  req,
) => {
  const client = service.client(req.ClientId as string, req.UserPoolId as string);
  if (req.AuthFlow === 'USER_PASSWORD_AUTH')
    throw new InvalidParameterException('Initiate Auth method not supported.');
  if (req.AuthFlow === 'CUSTOM_AUTH') {
    return service.customAuth.initiate(client, req.AuthParameters ?? {}, req.ClientMetadata);
  }
  if (req.AuthFlow === 'USER_AUTH')
    return service.userAuth.initiate(client, req.AuthParameters ?? {}, req.Session);
  return service.auth.initiate(client, req.AuthFlow as string, req.AuthParameters ?? {}, true);
};
