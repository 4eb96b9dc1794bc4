import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html */
export const confirmSignUp: Operation<ConfirmSignUpRequest, ConfirmSignUpResponse> = async (
  { service },
  req,
) => {
  const client = service.client(req.ClientId as string);
  service.checkSecretHash(client, [req.Username], req.SecretHash);
  await service.accounts.confirmSignUp(client, {
    username: req.Username as string,
    code: req.ConfirmationCode as string,
    ...(req.ForceAliasCreation !== undefined ? { forceAliasCreation: req.ForceAliasCreation } : {}),
    ...(req.ClientMetadata ? { clientMetadata: req.ClientMetadata } : {}),
  });
  // A client that allows USER_AUTH gets a Session for the sign-in straight after (Amplify's autoSignIn).
  const user = service.findUser(service.pool(client.poolId), req.Username as string);
  const session = user ? service.userAuth.signUpSession(client, user) : undefined;
  return session ? { Session: session } : {};
};
