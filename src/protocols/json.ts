import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHeaders, type ProtocolServiceOptions, toAwsError } from './dispatch.js';
import { AwsError, type ErrorCodes } from './errors.js';
import { BodyTooLargeError, headerSafe, readBody, send } from './http.js';
import type { AwsService, RequestContext } from './service.js';
import { validateInput } from './validate.js';

const DEFAULT_CODES: ErrorCodes = {
  serialization: 'SerializationException',
  validation: 'ValidationException',
  unknownOperation: 'UnknownOperationException',
  internal: 'InternalFailure',
};

/** JSON with Dates as epoch seconds, as AWS's JSON protocols send timestamps. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/** The awsJson error: `{"__type","message"}` plus `x-amzn-ErrorType` / `x-amzn-ErrorMessage`. */
export function sendJsonError(
  res: ServerResponse,
  err: AwsError,
  contentType: string,
  requestId: string,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  applyHeaders(res, extraHeaders);
  send(
    res,
    err.statusCode,
    {
      'content-type': contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': `${err.code}:`,
      'x-amzn-errormessage': headerSafe(err.message),
    },
    JSON.stringify({ __type: err.code, message: err.message, ...err.fields }),
  );
}

/**
 * An awsJson 1.0 / 1.1 service (`POST /`, `X-Amz-Target: <prefix>.<Operation>`, JSON body): parses and validates the
 * body against the model, runs the operation and answers JSON, or the protocol's error shape.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
export function jsonService(opts: ProtocolServiceOptions): AwsService {
  const { model, operations } = opts;
  const prefix: string = model.targetPrefix ?? '';
  if (!prefix) throw new Error(`${model.service}: not an awsJson model (no targetPrefix)`);
  const codes: ErrorCodes = { ...DEFAULT_CODES, ...opts.codes };
  const contentType = `application/x-amz-json-${model.jsonVersion ?? '1.0'}`;
  const limit = opts.bodyLimit ?? 1024 * 1024;

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    try {
      const target = req.headers['x-amz-target'];
      const name =
        typeof target === 'string' && target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : '';
      ctx.op = name || undefined;
      if (req.method !== 'POST') {
        throw new AwsError(codes.unknownOperation, `${req.method} is not supported; use POST /`);
      }
      if (!name || !Object.hasOwn(operations, name)) {
        throw new AwsError(
          codes.unknownOperation,
          name ? `Unknown operation ${name}` : 'Missing or unknown X-Amz-Target',
        );
      }
      let raw: string;
      try {
        raw = (await readBody(req, limit)).toString('utf8');
      } catch (err) {
        throw err instanceof BodyTooLargeError
          ? new AwsError(codes.serialization, 'Request body is too large.')
          : new AwsError(codes.serialization, 'Unable to read the request body.');
      }
      let body: unknown;
      try {
        body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        throw new AwsError(codes.serialization, 'Unable to parse the request body as JSON.');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new AwsError(codes.serialization, 'The request body must be a JSON object.');
      }
      const input = validateInput(model, name, body, codes);
      const op = operations[name] as (typeof operations)[string];
      const result = await op(input, ctx);
      applyHeaders(res, opts.headers);
      send(
        res,
        200,
        { 'content-type': contentType, 'x-amzn-requestid': ctx.requestId },
        toWireJson(result ?? {}),
      );
    } catch (err) {
      sendJsonError(res, toAwsError(err, codes, ctx, req), contentType, ctx.requestId, opts.headers);
    }
  }

  return {
    name: model.service,
    signingNames: [model.signingName, ...(opts.signingNames ?? [])],
    targetPrefixes: [prefix],
    handle,
  };
}
