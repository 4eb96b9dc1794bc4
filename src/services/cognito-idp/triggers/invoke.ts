import type { FunctionInvoker } from '../../../shared/invoker.js';
import { FUNCTION_TIMED_OUT } from '../../../shared/invoker.js';
import type { TriggerName } from '../../cloudformation/types.js';
import {
  InvalidLambdaResponseException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
} from '../errors.js';

/**
 * Cognito waits this long for a trigger before giving up on the call.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
 */
export const COGNITO_TRIGGER_TIMEOUT_MS = 5_000;

/** What Cognito puts in `callerContext.awsSdkVersion` when it cannot tell the caller's SDK (Hosted UI, unknown agents). */
export const UNKNOWN_SDK_VERSION = 'aws-sdk-unknown-unknown';

/** `callerContext.clientId` for operations without an app client (the Admin* APIs). */
export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

/** The fields every user pool trigger event shares. */
export interface CommonEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface TriggerTarget {
  invoker: FunctionInvoker;
  functionName: string;
  timeoutMs: number;
}

/**
 * Invokes a trigger and returns the `response` object of the event it hands back, mapping every failure to the
 * exception Cognito answers with. This is the one place that decides those mappings:
 *
 * - The function failed (threw, rejected, crashed, or ran past its own Timeout): Lambda returns a function error,
 *   which Cognito reports as `UserLambdaValidationException: <Trigger> failed with error <errorMessage>.`
 *   (observed for throws, e.g. "PreSignUp failed with error callback is not a function.", and for crashes, e.g.
 *   "DefineAuthChallenge failed with error RequestId: … Error: Runtime exited with error: exit status 129.").
 * - Cognito could not get an answer (no such function, or nothing after its 5 s limit):
 *   `UnexpectedLambdaException: <Trigger> invocation failed due to error <reason>.` (observed: "PreSignUp invocation
 *   failed due to error Socket timeout while invoking Lambda function."). Cognito's three retries are not emulated.
 * - The function answered with something that is not an event object: `InvalidLambdaResponseException:
 *   Unrecognizable lambda output`.
 */
export async function invokeTrigger(
  target: TriggerTarget,
  trigger: TriggerName,
  event: CommonEvent,
): Promise<Record<string, unknown>> {
  const r = await target.invoker.invoke(target.functionName, event, { timeoutMs: target.timeoutMs });
  if (!r.ok) {
    if (r.kind === 'NotFound') {
      throw new UnexpectedLambdaException(
        `${trigger} invocation failed due to error ResourceNotFoundException.`,
      );
    }
    if (r.kind === 'Timeout' && r.errorType !== FUNCTION_TIMED_OUT) {
      throw new UnexpectedLambdaException(
        `${trigger} invocation failed due to error Socket timeout while invoking Lambda function.`,
      );
    }
    throw new UserLambdaValidationException(`${trigger} failed with error ${r.errorMessage}.`);
  }
  if (!isObject(r.payload)) throw unrecognizable();
  const response = r.payload.response;
  if (response === undefined || response === null) return {};
  if (!isObject(response)) throw unrecognizable();
  return response;
}

export function unrecognizable(): InstanceType<typeof InvalidLambdaResponseException> {
  return new InvalidLambdaResponseException('Unrecognizable lambda output');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `undefined` when absent or null; the array when it holds only strings; otherwise the output is unrecognizable. */
export function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw unrecognizable();
  return v as string[];
}

export function optionalString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw unrecognizable();
  return v;
}

export function optionalBoolean(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw unrecognizable();
  return v;
}
