import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, type ErrorCodes } from './errors.js';
import type { ServiceModel } from './model.js';
import type { RequestContext } from './service.js';

/**
 * One operation of a service: a validated input (wire member names, `null` members removed) → an output in wire
 * shape (Dates are serialised as each protocol wants). Throw an AwsError for an error the caller should see.
 */
// biome-ignore lint/suspicious/noExplicitAny: operations declare their own typed input; the layer checked it against the model.
export type Operation = (input: any, ctx: RequestContext) => Promise<unknown>;

/** Every operation a service serves, by its wire name. "Which operations do we support" is this object's keys. */
export type OperationRegistry = Readonly<Record<string, Operation>>;

/** The options every protocol builder shares. */
export interface ProtocolServiceOptions {
  model: ServiceModel;
  operations: OperationRegistry;
  /** The service's own codes, where they differ from the protocol's defaults. */
  codes?: Partial<ErrorCodes>;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Headers added to every reply (e.g. CORS for browser clients). */
  headers?: Readonly<Record<string, string>>;
  /** Other SigV4 signing names that route here (the model's `signingName` always does). */
  signingNames?: readonly string[];
}

/**
 * The registry and the model must name the same operations: an operation without a model would go unchecked, and a
 * modelled operation without an implementation would be advertised but missing. Throws naming the difference.
 */
export function assertRegistryMatchesModel(
  model: ServiceModel,
  operations: Readonly<Record<string, unknown>>,
): void {
  const inModel = new Set(Object.keys(model.operations));
  const served = new Set(Object.keys(operations));
  const noModel = [...served].filter((o) => !inModel.has(o));
  const noImpl = [...inModel].filter((o) => !served.has(o));
  if (noModel.length || noImpl.length) {
    throw new Error(
      `${model.service}: registry and model disagree.` +
        (noModel.length ? ` Served without a model: ${noModel.join(', ')}.` : '') +
        (noImpl.length ? ` Modelled but not served: ${noImpl.join(', ')}.` : ''),
    );
  }
}

/** Turns whatever was thrown into the AwsError to answer, logging (without the request body) what was unexpected. */
export function toAwsError(
  err: unknown,
  codes: ErrorCodes,
  ctx: RequestContext,
  req: IncomingMessage,
): AwsError {
  if (err instanceof AwsError) return err;
  ctx.log.error({ reqId: ctx.requestId, op: ctx.op, url: req.url?.split('?')[0], err }, 'unexpected error');
  return new AwsError(codes.internal, 'Internal error', 500);
}

export const applyHeaders = (res: ServerResponse, headers?: Readonly<Record<string, string>>): void => {
  for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
};
