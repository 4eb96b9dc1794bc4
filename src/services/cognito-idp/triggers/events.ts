import { CLIENT_ID_NOT_APPLICABLE, type CommonEvent, UNKNOWN_SDK_VERSION } from './invoke.js';

export interface PoolRef {
  id: string;
  region: string;
}

/**
 * The envelope every user pool trigger event shares.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html#cognito-user-pools-lambda-trigger-syntax-shared
 */
export function commonEvent(
  pool: PoolRef,
  o: {
    triggerSource: string;
    userName: string;
    clientId: string | undefined;
    request: Record<string, unknown>;
    response: Record<string, unknown>;
    version?: string;
  },
): CommonEvent {
  return {
    version: o.version ?? '1',
    triggerSource: o.triggerSource,
    region: pool.region,
    userPoolId: pool.id,
    userName: o.userName,
    callerContext: { awsSdkVersion: UNKNOWN_SDK_VERSION, clientId: o.clientId ?? CLIENT_ID_NOT_APPLICABLE },
    request: o.request,
    response: o.response,
  };
}

/** Cognito leaves `clientMetadata` out of the request when the caller sent none. */
export function withClientMetadata(
  request: Record<string, unknown>,
  clientMetadata: Record<string, string> | undefined,
): Record<string, unknown> {
  return clientMetadata === undefined ? request : { ...request, clientMetadata };
}
