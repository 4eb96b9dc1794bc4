import type {
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Operation } from './types.js';

/** @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html */
export const respondToAuthChallenge: Operation<
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse
> = async ({ service }, req) => {
  const client = service.client(req.ClientId as string);
  if (service.customAuth.owns(req.ChallengeName as string, req.Session)) {
    return service.customAuth.respond(
      client,
      req.ChallengeName as string,
      req.ChallengeResponses ?? {},
      req.Session,
      req.ClientMetadata,
    );
  }
  if (service.userAuth.owns(req.ChallengeName as string, req.Session)) {
    return service.userAuth.respond(
      client,
      req.ChallengeName as string,
      req.ChallengeResponses ?? {},
      req.Session,
    );
  }
  return service.auth.respond(client, req.ChallengeName as string, req.ChallengeResponses ?? {}, req.Session);
};
