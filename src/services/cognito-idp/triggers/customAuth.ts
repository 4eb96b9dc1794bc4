import { commonEvent, type PoolRef, withClientMetadata } from './events.js';
import {
  invokeTrigger,
  isObject,
  optionalBoolean,
  optionalString,
  type TriggerTarget,
  unrecognizable,
} from './invoke.js';
import type {
  ChallengeResult,
  CreateAuthChallengeInput,
  CreateAuthChallengeResult,
  DefineAuthChallengeInput,
  DefineAuthChallengeResult,
  VerifyAuthChallengeInput,
} from './types.js';

/** The session history as Cognito sends it: one entry per round, `challengeMetadata` null when none was set. */
function sessionOf(session: readonly ChallengeResult[]): Record<string, unknown>[] {
  return session.map((s) => ({
    challengeName: s.challengeName,
    challengeResult: s.challengeResult,
    challengeMetadata: s.challengeMetadata ?? null,
  }));
}

/** Real events list the user's status among the attributes (captured: "cognito:user_status": "CONFIRMED"). */
function attributesOf(i: {
  userAttributes: Record<string, string>;
  userStatus?: string;
}): Record<string, string> {
  return i.userStatus === undefined
    ? i.userAttributes
    : { ...i.userAttributes, 'cognito:user_status': i.userStatus };
}

/** A string-to-string map, or the output is unrecognizable; absent or null is an empty map. */
function stringMap(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw unrecognizable();
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === null) continue;
    // Functions often put numbers or booleans in the parameters; Cognito hands them on as text [unverified].
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw unrecognizable();
  }
  return out;
}

/**
 * Define auth challenge: given the rounds so far, the function names the next challenge, or issues tokens, or fails
 * the sign-in.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
 */
export async function defineAuthChallenge(
  target: TriggerTarget,
  pool: PoolRef,
  i: DefineAuthChallengeInput,
): Promise<DefineAuthChallengeResult> {
  const event = commonEvent(pool, {
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      { userAttributes: attributesOf(i), session: sessionOf(i.session), userNotFound: i.userNotFound },
      i.clientMetadata,
    ),
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  const r = await invokeTrigger(target, 'DefineAuthChallenge', event);
  const challengeName = optionalString(r.challengeName);
  return {
    ...(challengeName ? { challengeName } : {}),
    issueTokens: optionalBoolean(r.issueTokens),
    failAuthentication: optionalBoolean(r.failAuthentication),
  };
}

/**
 * Create auth challenge: the function makes the challenge Define named: what the user sees (public), what the
 * verifier compares with (private), and its own name for the round (challengeMetadata).
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html
 */
export async function createAuthChallenge(
  target: TriggerTarget,
  pool: PoolRef,
  i: CreateAuthChallengeInput,
): Promise<CreateAuthChallengeResult> {
  const event = commonEvent(pool, {
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      {
        userAttributes: attributesOf(i),
        challengeName: i.challengeName,
        session: sessionOf(i.session),
        userNotFound: i.userNotFound,
      },
      i.clientMetadata,
    ),
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const r = await invokeTrigger(target, 'CreateAuthChallenge', event);
  const challengeMetadata = optionalString(r.challengeMetadata);
  return {
    publicChallengeParameters: stringMap(r.publicChallengeParameters),
    privateChallengeParameters: stringMap(r.privateChallengeParameters),
    ...(challengeMetadata !== undefined ? { challengeMetadata } : {}),
  };
}

/**
 * Verify auth challenge response: the function compares the user's ANSWER with the private challenge parameters.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 */
export async function verifyAuthChallengeResponse(
  target: TriggerTarget,
  pool: PoolRef,
  i: VerifyAuthChallengeInput,
): Promise<boolean> {
  const event = commonEvent(pool, {
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: i.username,
    clientId: i.clientId,
    request: withClientMetadata(
      {
        userAttributes: attributesOf(i),
        privateChallengeParameters: i.privateChallengeParameters,
        challengeAnswer: i.challengeAnswer,
        userNotFound: i.userNotFound,
      },
      i.clientMetadata,
    ),
    response: { answerCorrect: null },
  });
  const r = await invokeTrigger(target, 'VerifyAuthChallengeResponse', event);
  return optionalBoolean(r.answerCorrect);
}
