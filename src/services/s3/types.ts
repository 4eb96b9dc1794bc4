import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RestXmlIds } from '../../protocols/index.js';
import type { Clock } from '../../shared/clock.js';
import type { S3Store } from '../../store/s3/index.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** What S3 operations use. */
export interface S3Context {
  store: S3Store;
  /** The region buckets are created in unless a LocationConstraint says otherwise. */
  region: string;
  accountId: string;
  clock: Clock;
}

/** One routed S3 request: the bucket and key (decoded), the query, and S3's request ids. */
export interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  ids: RestXmlIds;
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/** An S3 operation writes its own reply (bodies stream); errors are thrown as AwsError. */
export type S3Operation = (ctx: S3Context, r: S3Request) => Promise<void>;
