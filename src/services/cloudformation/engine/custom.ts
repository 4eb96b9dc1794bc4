/**
 * Custom resources, run for real: the engine invokes the ServiceToken's function with CloudFormation's request and
 * reads the response the handler PUTs to the ResponseURL. That URL is on the local cloud's AWS endpoint, presigned
 * in form (`X-Amz-Credential` names the `cloudformation` service, so the edge routes it to CloudFormation).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isRecord } from '../template.js';
import type { ProviderRequest, ProviderResult } from './providers.js';
import { ResourceFailure } from './providers.js';

export const RESPONSE_PATH = '/cloudformation-custom-resource-response/';

export interface CustomResourceResponse {
  Status?: unknown;
  Reason?: unknown;
  PhysicalResourceId?: unknown;
  Data?: unknown;
}

/** Pending custom resource requests, by the token in their ResponseURL, and the responses handlers sent. */
export class ResponseInbox {
  readonly #pending = new Set<string>();
  readonly #received = new Map<string, CustomResourceResponse>();

  /** A new token that a response will be accepted for. */
  open(): string {
    const token = randomBytes(16).toString('hex');
    this.#pending.add(token);
    return token;
  }

  /** A handler's PUT; false when no request waits for this token. */
  deliver(token: string, body: CustomResourceResponse): boolean {
    if (!this.#pending.has(token)) return false;
    this.#received.set(token, body);
    return true;
  }

  /** The response sent for the token, if any; the token is closed. */
  take(token: string): CustomResourceResponse | undefined {
    const r = this.#received.get(token);
    this.#received.delete(token);
    this.#pending.delete(token);
    return r;
  }
}

export interface CustomResourceContext {
  inbox: ResponseInbox;
  /** `<AWS endpoint><RESPONSE_PATH><token>?X-Amz-...` */
  responseUrl(token: string): string;
  /** Serves the stacks as they are now, so the handler's function is invocable. */
  prepare(): Promise<void>;
}

export async function runCustomResource(
  requestType: 'Create' | 'Update' | 'Delete',
  r: ProviderRequest,
): Promise<ProviderResult> {
  const token = r.properties.ServiceToken;
  if (typeof token !== 'string') {
    throw new ResourceFailure('Template error: the custom resource has no ServiceToken');
  }
  if (!r.targets.invoker) throw new ResourceFailure('Lambda is not available in this local cloud');
  if (!/^arn:[^:]+:lambda:/.test(token)) {
    throw new ResourceFailure(
      `ServiceToken ${token} is not a Lambda function ARN (SNS tokens are not supported locally)`,
    );
  }
  await r.custom.prepare();
  const key = r.custom.inbox.open();
  const event = {
    RequestType: requestType,
    ServiceToken: token,
    ResponseURL: r.custom.responseUrl(key),
    StackId: r.stack.stackId,
    RequestId: randomUUID(),
    LogicalResourceId: r.logicalId,
    ResourceType: r.type,
    ResourceProperties: requestType === 'Delete' ? (r.current?.properties ?? r.properties) : r.properties,
    ...(requestType === 'Update' ? { OldResourceProperties: r.current?.properties ?? {} } : {}),
    ...(requestType !== 'Create' && r.current ? { PhysicalResourceId: r.current.physicalId } : {}),
  };
  const result = await r.targets.invoker.invoke(token, event);
  const response = r.custom.inbox.take(key);
  if (!response) {
    const why = result.ok
      ? 'the function returned'
      : `the function failed: ${result.errorType}: ${result.errorMessage}`;
    throw new ResourceFailure(`Custom resource handler did not send a response to the ResponseURL (${why})`);
  }
  if (response.Status !== 'SUCCESS') {
    throw new ResourceFailure(
      `Received response status [${String(response.Status)}] from custom resource. Message returned: ${String(response.Reason ?? '')}`,
    );
  }
  const physicalId =
    typeof response.PhysicalResourceId === 'string' && response.PhysicalResourceId !== ''
      ? response.PhysicalResourceId
      : (r.current?.physicalId ?? key);
  return { physicalId, attributes: isRecord(response.Data) ? response.Data : {} };
}
