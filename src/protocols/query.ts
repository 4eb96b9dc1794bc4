import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHeaders, type ProtocolServiceOptions, toAwsError } from './dispatch.js';
import { AwsError, type ErrorCodes } from './errors.js';
import { BodyTooLargeError, readBody, send, splitUrl } from './http.js';
import type { ServiceModel } from './model.js';
import type { AwsService, RequestContext } from './service.js';
import { validateInput } from './validate.js';
import { buildXml, toXmlTree } from './xml.js';

const DEFAULT_CODES: ErrorCodes = {
  serialization: 'MalformedInput',
  validation: 'ValidationError',
  unknownOperation: 'InvalidAction',
  internal: 'InternalFailure',
};

/**
 * Reads awsQuery parameters (`Name.member.1`, `Tags.member.1.Key`, `Attributes.entry.1.key`) into a structure of the
 * input shape. Numbers and booleans are converted; a value that does not convert stays a string, so validation
 * reports it as the wrong type.
 */
export function fromQueryParams(model: ServiceModel, shapeName: string, params: URLSearchParams): unknown {
  const keys = [...new Set(params.keys())];
  const has = (prefix: string) => keys.some((k) => k === prefix || k.startsWith(`${prefix}.`));
  const read = (name: string, prefix: string): unknown => {
    const shape = model.shapes[name];
    if (!shape || (prefix !== '' && !has(prefix))) return undefined;
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const [member, ref] of Object.entries(shape.members ?? {})) {
          const key = ref.locationName ?? ref.queryName ?? member;
          const v = read(ref.shape, prefix ? `${prefix}.${key}` : key);
          if (v !== undefined) out[member] = v;
        }
        return out;
      }
      case 'list': {
        if (params.get(prefix) === '') return [];
        const base = shape.flattened ? prefix : `${prefix}.${shape.member?.locationName ?? 'member'}`;
        const out: unknown[] = [];
        for (let i = 1; has(`${base}.${i}`); i++) out.push(read(shape.member?.shape ?? '', `${base}.${i}`));
        return out;
      }
      case 'map': {
        const base = shape.flattened ? prefix : `${prefix}.entry`;
        const out: Record<string, unknown> = {};
        for (let i = 1; has(`${base}.${i}`); i++) {
          const k = params.get(`${base}.${i}.${shape.key?.locationName ?? 'key'}`);
          if (k !== null)
            out[k] = read(shape.value?.shape ?? '', `${base}.${i}.${shape.value?.locationName ?? 'value'}`);
        }
        return out;
      }
      case 'integer':
      case 'long':
      case 'double':
      case 'float': {
        const raw = params.get(prefix) ?? '';
        const n = Number(raw);
        return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
      }
      case 'boolean': {
        const raw = params.get(prefix) ?? '';
        return raw === 'true' ? true : raw === 'false' ? false : raw;
      }
      default:
        return params.get(prefix) ?? '';
    }
  };
  return read(shapeName, '') ?? {};
}

/** The awsQuery error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function sendQueryError(
  res: ServerResponse,
  err: AwsError,
  xmlns: string | undefined,
  requestId: string,
): void {
  const body = buildXml({
    ErrorResponse: {
      ...(xmlns ? { '@_xmlns': xmlns } : {}),
      Error: { Type: err.sender, Code: err.code, Message: err.message, ...err.fields },
      RequestId: requestId,
    },
  });
  send(res, err.statusCode, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body);
}

/**
 * An awsQuery service (STS, IAM, CloudFormation): form-encoded `Action=...&Version=...` (POST body or GET query), an
 * XML reply `<OpResponse><OpResult>...</OpResult><ResponseMetadata><RequestId/>...`, errors as `<ErrorResponse>`.
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
export function queryService(opts: ProtocolServiceOptions): AwsService {
  const { model, operations } = opts;
  const codes: ErrorCodes = { ...DEFAULT_CODES, ...opts.codes };
  const limit = opts.bodyLimit ?? 1024 * 1024;
  async function handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    try {
      const { query } = splitUrl(req.url);
      let params = query;
      if (req.method === 'POST') {
        let raw: Buffer;
        try {
          raw = await readBody(req, limit);
        } catch (err) {
          throw err instanceof BodyTooLargeError
            ? new AwsError(codes.serialization, 'Request body is too large.', 413)
            : new AwsError(codes.serialization, 'Unable to read the request body.');
        }
        const form = new URLSearchParams(raw.toString('utf8'));
        for (const [k, v] of query) if (!form.has(k)) form.append(k, v);
        params = form;
      }
      const action = params.get('Action') ?? '';
      ctx.op = action || undefined;
      const opModel = model.operations[action];
      if (!action || !Object.hasOwn(operations, action) || !opModel) {
        throw new AwsError(
          codes.unknownOperation,
          action
            ? `Could not find operation ${action} for version ${params.get('Version') ?? model.apiVersion}`
            : 'Missing Action',
        );
      }
      const input = validateInput(
        model,
        action,
        opModel.input ? fromQueryParams(model, opModel.input, params) : {},
        codes,
      );
      const op = operations[action] as (typeof operations)[string];
      const result = await op(input, ctx);
      const inner = opModel.output ? toXmlTree(model, opModel.output, result ?? {}) : undefined;
      const body = buildXml({
        [`${action}Response`]: {
          ...(model.xmlNamespace ? { '@_xmlns': model.xmlNamespace } : {}),
          ...(opModel.resultWrapper ? { [opModel.resultWrapper]: inner ?? '' } : {}),
          ResponseMetadata: { RequestId: ctx.requestId },
        },
      });
      applyHeaders(res, opts.headers);
      send(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body);
    } catch (err) {
      sendQueryError(res, toAwsError(err, codes, ctx, req), model.xmlNamespace, ctx.requestId);
    }
  }
  return {
    name: model.service,
    signingNames: [model.signingName, ...(opts.signingNames ?? [])],
    handle,
  };
}
