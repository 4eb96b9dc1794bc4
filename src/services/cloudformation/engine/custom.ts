/**
 * Custom resources, run for real: the engine invokes the ServiceToken's function with CloudFormation's request and
 * reads the response the handler PUTs to the ResponseURL. That URL looks like AWS's, an HTTPS presigned URL on an
 * `s3.amazonaws.com` host, as handlers expect (CDK's send with `https.request` to port 443 of the URL's host); the
 * local cloud's functions reach `*.amazonaws.com` over HTTPS at the local AWS endpoint (the Lambda runtime's
 * local-cloud hook), where `X-Amz-Credential`, naming the `cloudformation` service, routes it to CloudFormation.
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
    this.#waiters.get(token)?.();
    return true;
  }

  /** The response sent for the token, if any; the token is closed. */
  take(token: string): CustomResourceResponse | undefined {
    const r = this.#received.get(token);
    this.#received.delete(token);
    this.#pending.delete(token);
    this.#waiters.delete(token);
    return r;
  }

  readonly #waiters = new Map<string, () => void>();

  /** Resolves once a response for the token arrived, or after `ms`; then {@link take} it. */
  async wait(token: string, ms: number): Promise<void> {
    if (this.#received.has(token) || !this.#pending.has(token)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#waiters.set(token, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export interface CustomResourceContext {
  inbox: ResponseInbox;
  /** `https://cloudformation-custom-resource-response-<region>.s3.amazonaws.com<RESPONSE_PATH><token>?X-Amz-...` */
  responseUrl(token: string): string;
  /** How long a response may take to arrive once the handler's invocation returned without sending one. */
  responseTimeoutMs: number;
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
  // A handler may still be sending (or send from elsewhere): its response is awaited a while, as CloudFormation does.
  if (result.ok) await r.custom.inbox.wait(key, r.custom.responseTimeoutMs);
  const response = r.custom.inbox.take(key);
  if (!response) {
    const why = result.ok
      ? `the function returned and no response came within ${r.custom.responseTimeoutMs / 1000} seconds`
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
