import type { ServerResponse } from 'node:http';
import type { AwsError } from './errors.js';
import { send } from './http.js';
import { buildXml, parseXml } from './xml.js';

/**
 * restXml (S3): services of this protocol route their own requests (S3's bucket/key paths and sub-resources, and
 * streaming bodies that must not be buffered), and use these helpers for the wire format: XML replies, XML request
 * bodies, and the `<Error>` shape with S3's request ids.
 * @see https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 */

/** S3's pair of request ids, sent on every reply and inside every error. */
export interface RestXmlIds {
  requestId: string;
  hostId: string;
}

export const restXmlIdHeaders = (ids: RestXmlIds): Record<string, string> => ({
  'x-amz-request-id': ids.requestId,
  'x-amz-id-2': ids.hostId,
});

/** Sends `<Root xmlns=...>...</Root>` with S3's headers. */
export function sendXml(
  res: ServerResponse,
  status: number,
  root: string,
  content: Record<string, unknown>,
  ids: RestXmlIds,
  xmlns?: string,
  headers: Record<string, string> = {},
): void {
  const body = buildXml({ [root]: { ...(xmlns ? { '@_xmlns': xmlns } : {}), ...content } });
  send(res, status, { 'content-type': 'application/xml', ...restXmlIdHeaders(ids), ...headers }, body);
}

/** The restXml (S3) error: `<Error><Code/><Message/>...fields<RequestId/><HostId/></Error>`; HEAD gets no body. */
export function sendRestXmlError(res: ServerResponse, err: AwsError, ids: RestXmlIds, head = false): void {
  const headers = { 'content-type': 'application/xml', ...restXmlIdHeaders(ids) };
  if (head) {
    send(res, err.statusCode, headers);
    return;
  }
  const body = buildXml({
    Error: {
      Code: err.code,
      Message: err.message,
      ...err.fields,
      RequestId: ids.requestId,
      HostId: ids.hostId,
    },
  });
  send(res, err.statusCode, headers, body);
}

/** Parses an XML request body; `undefined` when it is not well-formed XML (the caller answers MalformedXML). */
export function readXmlBody(body: Buffer, exact = false): Record<string, unknown> | undefined {
  try {
    return parseXml(body.toString('utf8'), exact);
  } catch {
    return undefined;
  }
}
