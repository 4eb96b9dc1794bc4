import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../errors.js';
import { fromWire } from '../service/index.js';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html */
export const signUp: Operation<SignUpRequest, SignUpResponse> = async ({ service }, req) => {
  // The model made Password optional (for passwordless pools, which are not served here); without one, answer as
  // the model did when it was required [unverified].
  if (req.Password === undefined) {
    throw new InvalidParameterException(
      "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
  }
  const client = service.client(req.ClientId as string);
  service.checkSecretHash(client, [req.Username], req.SecretHash);
  return service.accounts.signUp(client, {
    username: req.Username as string,
    password: req.Password as string,
    attributes: fromWire(req.UserAttributes),
    ...(req.ValidationData ? { validationData: fromWire(req.ValidationData) } : {}),
    ...(req.ClientMetadata ? { clientMetadata: req.ClientMetadata } : {}),
  });
};
