import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyHeaders, type ProtocolServiceOptions, toAwsError } from './dispatch.js';
import { AwsError, type ErrorCodes } from './errors.js';
import { BodyTooLargeError, headerSafe, readBody, send, splitUrl } from './http.js';
import { toWireJson } from './json.js';
import { membersToWire, wireToMembers } from './jsonNames.js';
import type { OperationModel, ServiceModel, ShapeModel } from './model.js';
import type { AwsService, RequestContext } from './service.js';
import { validateInput } from './validate.js';

const DEFAULT_CODES: ErrorCodes = {
  serialization: 'SerializationException',
  validation: 'ValidationException',
  unknownOperation: 'UnknownOperationException',
  internal: 'ServiceException',
};

interface Route {
  name: string;
  op: OperationModel;
  method: string;
  re: RegExp;
  labels: string[];
  /** Literal query keys in the requestUri (`?versioning`) that must be present. */
  queryKeys: string[];
  literal: number;
}

function compileRoutes(model: ServiceModel, names: string[]): Route[] {
  const routes = names.flatMap((name) => {
    const op = model.operations[name];
    if (!op) return [];
    const [path = '/', q = ''] = op.http.requestUri.split('?');
    const labels: string[] = [];
    let literal = 0;
    const re = path
      .split('/')
      .map((seg) =>
        seg.replace(/\{([^}]+)\}|[^{]+/g, (m, label: string | undefined) => {
          if (!label) {
            literal += m.length;
            return m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          const greedy = label.endsWith('+');
          labels.push(greedy ? label.slice(0, -1) : label);
          return greedy ? '(.+)' : '([^/]+)';
        }),
      )
      .join('/');
    const queryKeys = q ? q.split('&').map((kv) => kv.split('=')[0] as string) : [];
    return [{ name, op, method: op.http.method, re: new RegExp(`^${re}/?$`), labels, queryKeys, literal }];
  });
  // The most specific route first: more literal characters, then more required query keys.
  return routes.sort((a, b) => b.literal - a.literal || b.queryKeys.length - a.queryKeys.length);
}

/** A scalar from a URI label, query value or header, converted to the member's type. */
function scalar(shape: ShapeModel | undefined, raw: string, jsonvalue?: boolean): unknown {
  switch (shape?.type) {
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'string':
      return jsonvalue ? JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) : raw;
    default:
      return raw;
  }
}

/** The restJson1 error: status from the error, `x-amzn-ErrorType`, and `{"message", ...fields}` as the body. */
export function sendRestJsonError(res: ServerResponse, err: AwsError, requestId: string): void {
  send(
    res,
    err.statusCode,
    {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': err.code,
      'x-amzn-errormessage': headerSafe(err.message),
    },
    JSON.stringify({ message: err.message, ...err.fields }),
  );
}

/**
 * A restJson1 service (Lambda, API Gateway v2): the operation is found by method and the model's `requestUri`;
 * members come from URI labels, the query string, headers and the JSON body (or the raw body for a blob payload);
 * the output's header, status-code and payload members go back where the model puts them.
 * @see https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
export function restJsonService(opts: ProtocolServiceOptions): AwsService {
  const { model, operations } = opts;
  const codes: ErrorCodes = { ...DEFAULT_CODES, ...opts.codes };
  const limit = opts.bodyLimit ?? 6 * 1024 * 1024;
  const routes = compileRoutes(model, Object.keys(operations));

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    try {
      const { path, query } = splitUrl(req.url);
      let match: RegExpExecArray | null = null;
      const route = routes.find((r) => {
        if (r.method !== req.method || !r.queryKeys.every((k) => query.has(k))) return false;
        match = r.re.exec(path);
        return match !== null;
      });
      if (!route || !match) {
        throw new AwsError(codes.unknownOperation, `No operation matches ${req.method} ${path}`, 404);
      }
      ctx.op = route.name;
      const labels = match as RegExpExecArray;
      const inputShape = route.op.input ? model.shapes[route.op.input] : undefined;
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (err) {
        throw err instanceof BodyTooLargeError
          ? new AwsError('RequestTooLargeException', 'Request must be smaller than the limit.', 413)
          : new AwsError(codes.serialization, 'Unable to read the request body.');
      }
      const input: Record<string, unknown> = {};
      const payload = inputShape?.payload;
      if (payload) {
        const ref = inputShape?.members?.[payload];
        const pshape = ref ? model.shapes[ref.shape] : undefined;
        if (pshape?.type === 'blob' || pshape?.type === 'string') {
          if (body.length) input[payload] = pshape.type === 'blob' ? body : body.toString('utf8');
        } else if (body.length) {
          input[payload] = wireToMembers(model, ref?.shape, parseJson(body, codes));
        }
      } else if (body.length) {
        Object.assign(input, wireToMembers(model, route.op.input, parseJson(body, codes)));
      }
      for (const [member, ref] of Object.entries(inputShape?.members ?? {})) {
        const key = ref.locationName ?? member;
        const mshape = model.shapes[ref.shape];
        if (ref.location === 'uri') {
          const i = route.labels.indexOf(key);
          if (i >= 0) input[member] = scalar(mshape, decodeURIComponent(labels[i + 1] ?? ''));
        } else if (ref.location === 'querystring') {
          if (mshape?.type === 'list') {
            const all = query.getAll(key);
            if (all.length)
              input[member] = all.map((v) => scalar(model.shapes[mshape.member?.shape ?? ''], v));
          } else if (query.has(key)) input[member] = scalar(mshape, query.get(key) ?? '');
        } else if (ref.location === 'header') {
          const v = req.headers[key.toLowerCase()];
          if (typeof v === 'string') input[member] = scalar(mshape, v, ref.jsonvalue);
        } else if (ref.location === 'headers') {
          const prefix = key.toLowerCase();
          const map: Record<string, string> = {};
          for (const [h, v] of Object.entries(req.headers))
            if (h.startsWith(prefix) && typeof v === 'string') map[h.slice(prefix.length)] = v;
          if (Object.keys(map).length) input[member] = map;
        }
      }
      const valid = validateInput(model, route.name, input, codes);
      const op = operations[route.name] as (typeof operations)[string];
      const result = ((await op(valid, ctx)) ?? {}) as Record<string, unknown>;
      writeOutput(res, model, route.op, result, ctx.requestId, opts.headers);
    } catch (err) {
      sendRestJsonError(res, toAwsError(err, codes, ctx, req), ctx.requestId);
    }
  }

  return { name: model.service, signingNames: [model.signingName, ...(opts.signingNames ?? [])], handle };
}

function parseJson(body: Buffer, codes: ErrorCodes): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError(codes.serialization, 'Unable to parse the request body as JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(codes.serialization, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function writeOutput(
  res: ServerResponse,
  model: ServiceModel,
  op: OperationModel,
  result: Record<string, unknown>,
  requestId: string,
  extra?: Readonly<Record<string, string>>,
): void {
  const shape = op.output ? model.shapes[op.output] : undefined;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  let status = op.http.responseCode ?? 200;
  const bodyMembers: Record<string, unknown> = {};
  let payload: Buffer | string | undefined;
  let contentType = 'application/json';
  for (const [member, v] of Object.entries(result)) {
    const ref = shape?.members?.[member];
    if (v === undefined || v === null) continue;
    if (!ref) continue;
    const key = ref.locationName ?? member;
    if (ref.location === 'header') {
      headers[key.toLowerCase()] = ref.jsonvalue
        ? Buffer.from(JSON.stringify(v)).toString('base64')
        : v instanceof Date
          ? v.toUTCString()
          : String(v);
    } else if (ref.location === 'headers') {
      for (const [k, hv] of Object.entries(v as Record<string, string>))
        headers[`${key}${k}`.toLowerCase()] = hv;
    } else if (ref.location === 'statusCode') {
      status = Number(v);
    } else if (shape?.payload === member) {
      const pshape = model.shapes[ref.shape];
      if (pshape?.type === 'blob' || pshape?.type === 'string') {
        payload = Buffer.isBuffer(v) ? v : typeof v === 'string' ? v : Buffer.from(v as Uint8Array);
        contentType = pshape.type === 'blob' ? 'application/octet-stream' : 'text/plain';
      } else payload = toWireJson(membersToWire(model, ref.shape, v));
    } else {
      bodyMembers[key] = membersToWire(model, ref.shape, v);
    }
  }
  if (payload === undefined && !shape?.payload) payload = toWireJson(bodyMembers);
  applyHeaders(res, extra);
  send(res, status, { 'content-type': contentType, ...headers }, payload ?? '');
}
