import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';
import type { CredentialScope } from './sigv4.js';

/** The slice of the shared logger the layer writes to (pino's Logger satisfies it). */
export type ProtocolLogger = Pick<Logger, 'info' | 'error'>;

/** What the edge hands a service with each request. */
export interface RequestContext {
  /** A fresh id for this request; JSON/query/restJson services answer it as `x-amzn-RequestId`. */
  readonly requestId: string;
  /** The SigV4 credential scope, when the request was signed (the signature itself is NOT verified). */
  readonly scope?: CredentialScope;
  /** S3 virtual-hosted style: the bucket named by the Host header (`bucket.localhost`). */
  readonly virtualHostBucket?: string;
  readonly log: ProtocolLogger;
  /** Set by the service to the operation's name, for the access log line. */
  op?: string;
}

/**
 * One AWS service plugged into the edge. The edge routes a request here when its `X-Amz-Target` prefix is one of
 * `targetPrefixes`, or its SigV4 credential scope names one of `signingNames`, or (with `virtualHosts`) its Host is
 * `<bucket>.localhost`. The service then answers every request itself, errors included, in its protocol's shape:
 * build it with `jsonService`, `queryService` or `restJsonService`, or write `handle` with the restXml helpers.
 */
export interface AwsService {
  /** For logs: `sts`, `s3`, `cognito-idp`. */
  readonly name: string;
  readonly signingNames: readonly string[];
  readonly targetPrefixes?: readonly string[];
  readonly virtualHosts?: boolean;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void>;
}
