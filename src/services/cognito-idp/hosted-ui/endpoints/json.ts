import type { FastifyReply, FastifyRequest } from 'fastify';
import { type FormBody, str } from '../context.js';
import { OAuthError } from '../errors.js';

/**
 * The adapters between HTTP and the JSON endpoints (token, revoke, userInfo), whose logic works on plain values:
 * the Authorization header and a form body in, a JSON value or an {@link OAuthError} out.
 */

/** The Authorization header, if present and of a sane length. */
export const authorizationHeader = (req: FastifyRequest): string | undefined =>
  str(req.headers.authorization, 8192);

/** The form body; any other content type is `invalid_request` (RFC 6749 §3.2). */
export function formBody(req: FastifyRequest): FormBody {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'The request body must be application/x-www-form-urlencoded');
  }
  return (typeof req.body === 'object' && req.body !== null ? req.body : {}) as FormBody;
}

/** A 200 JSON answer. */
export const sendJson = (reply: FastifyReply, value: unknown) =>
  reply.code(200).header('content-type', 'application/json').send(JSON.stringify(value));

/** An OAuth error as RFC 6749 §5.2 JSON, with its status and headers (e.g. `WWW-Authenticate`). */
export function sendOAuthError(reply: FastifyReply, err: OAuthError) {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.status).header('content-type', 'application/json').send(JSON.stringify(err.body()));
}
