import { NotAuthorizedException, UnsupportedOperationException } from '../../errors.js';
import type { FormBody, HostedUi } from '../context.js';
import { OAuthError } from '../errors.js';
import { authenticateClient, param } from './clientAuth.js';
import type { HostedUiEndpoint } from './endpoint.js';
import { authorizationHeader, formBody } from './json.js';

const isJwt = (t: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

/**
 * `POST /oauth2/revoke` on plain values: ends a refresh token and every access token of its sign-in. Unknown tokens
 * succeed (RFC 7009 §2.2); access tokens are `unsupported_token_type`, as in Cognito.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
 */
export function revoke(
  deps: Pick<HostedUi, 'service'>,
  authorization: string | undefined,
  body: FormBody,
): void {
  const { client } = authenticateClient(deps.service, authorization, body);
  const token = param(body, 'token');
  if (!token) throw new OAuthError('invalid_request', 'token is required');
  if (isJwt(token)) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked');
  try {
    deps.service.tokens.revoke(client, token);
  } catch (err) {
    if (err instanceof UnsupportedOperationException) {
      throw new OAuthError('invalid_request', 'Token revocation is not enabled for this app client');
    }
    if (err instanceof NotAuthorizedException) {
      throw new OAuthError('invalid_request', 'The token was not issued to this client');
    }
    throw err;
  }
}

/** `POST /oauth2/revoke`: form in, an empty 200 out. */
export const revokeEndpoint: HostedUiEndpoint = {
  path: '/oauth2/revoke',
  methods: ['POST'],
  async handle(ui, req, reply) {
    revoke(ui, authorizationHeader(req), formBody(req));
    return reply.code(200).send('');
  },
};
