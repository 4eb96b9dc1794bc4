import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/**
 * The app's Lambda handler behind the `serverless_lambda_gw` HTTP API (payload format 2.0).
 *
 * `ANY /` is public and says hello. `GET|POST|PUT|DELETE /person` sit behind the JWT authorizer and answer the
 * way the original Python handler did (`[GET METHOD]Hello,world`), plus who is calling, taken from the claims
 * API Gateway copied out of the verified token.
 */

/** The `/person` methods, in the order the routes are declared in the stack. */
export const PERSON_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type PersonMethod = (typeof PERSON_METHODS)[number];

/** The caller as the JWT authorizer saw them. */
export interface CallerIdentity {
  sub: string;
  /** `username` of an access token, or `cognito:username` of an ID token. */
  username: string | undefined;
  /** Only ID tokens (with the `email` scope) carry it. */
  email: string | undefined;
  /** `id` or `access`. */
  tokenUse: string | undefined;
  scopes: string[];
}

type JwtClaims = APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];
type ClaimValue = JwtClaims[string];

/** The events this handler gets: the public `ANY /` route carries no authorizer block at all. */
export type ApiEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'], 'authorizer'> & {
    authorizer?: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'];
  };
};

/**
 * Lambda entry point.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export async function handler(event: ApiEvent): Promise<APIGatewayProxyResultV2> {
  try {
    return route(event);
  } catch (error) {
    // Never hand the raw error to the client; the request id ties the log line to the caller's report.
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'unhandled error',
        requestId: event.requestContext?.requestId,
        error: error instanceof Error ? error.name : typeof error,
      }),
    );
    return json(500, { message: 'Internal Server Error' });
  }
}

function route(event: ApiEvent): APIGatewayProxyStructuredResultV2 {
  const method = event.requestContext.http.method.toUpperCase();
  const path = routePath(event);

  if (path === '/') {
    return json(200, {
      message: 'Hello from Gatehouse! Call /person with a Cognito token to see who you are.',
      method,
    });
  }
  if (path === '/person') {
    if (!isPersonMethod(method)) {
      return json(405, { message: 'Method Not Allowed' }, { allow: PERSON_METHODS.join(', ') });
    }
    return person(method, event);
  }
  return json(404, { message: 'Not Found' });
}

/**
 * The resource the route was declared for. `routeKey` (`GET /person`) is stage-independent, unlike `rawPath`,
 * which carries the stage segment for named stages; `$default` routes fall back to the request path.
 */
function routePath(event: ApiEvent): string {
  const key = event.routeKey;
  const space = key.indexOf(' ');
  if (key !== '$default' && space > 0) return key.slice(space + 1);
  const stage = event.requestContext.stage;
  const raw = event.rawPath || '/';
  if (stage && stage !== '$default' && (raw === `/${stage}` || raw.startsWith(`/${stage}/`))) {
    return raw.slice(stage.length + 1) || '/';
  }
  return raw;
}

function isPersonMethod(method: string): method is PersonMethod {
  return (PERSON_METHODS as readonly string[]).includes(method);
}

function person(method: PersonMethod, event: ApiEvent): APIGatewayProxyStructuredResultV2 {
  const caller = callerIdentity(event.requestContext.authorizer?.jwt);
  if (!caller) {
    // Only reachable if the route lost its authorizer: refuse rather than answer anonymously.
    return json(401, { message: 'Unauthorized' });
  }
  const reply: Record<string, unknown> = { message: `[${method} METHOD]Hello,world`, caller };
  if (method === 'POST' || method === 'PUT') {
    const body = parseJsonBody(event);
    if (!body.ok) return json(400, { message: body.message });
    reply.received = body.value;
  }
  return json(200, reply);
}

/**
 * Reads the caller out of `requestContext.authorizer.jwt`. Real events carry every claim as a string
 * (`"exp": "1787996002"`); other types are tolerated because the type definitions allow them.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function callerIdentity(
  jwt: { claims: JwtClaims; scopes: string[] | null } | undefined,
): CallerIdentity | undefined {
  const claims = jwt?.claims;
  const sub = claimString(claims?.sub);
  if (!claims || !sub) return undefined;
  return {
    sub,
    username: claimString(claims.username) ?? claimString(claims['cognito:username']),
    email: claimString(claims.email),
    tokenUse: claimString(claims.token_use),
    scopes: scopesOf(jwt),
  };
}

/** `authorizer.jwt.scopes` is null on routes without authorizationScopes, so the `scope` claim is the fallback. */
function scopesOf(jwt: { claims: JwtClaims; scopes: string[] | null }): string[] {
  if (Array.isArray(jwt.scopes) && jwt.scopes.length > 0) return [...jwt.scopes];
  const scope = jwt.claims.scope;
  if (Array.isArray(scope)) return scope.map(String);
  return (claimString(scope) ?? '').split(' ').filter((s) => s.length > 0);
}

function claimString(value: ClaimValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return text.length > 0 ? text : undefined;
}

type BodyResult = { ok: true; value: unknown } | { ok: false; message: string };

/** An absent or empty body is `null`; anything else must be JSON. HTTP APIs base64-encode non-text bodies. */
function parseJsonBody(event: ApiEvent): BodyResult {
  if (event.body === undefined || event.body === null || event.body === '') return { ok: true, value: null };
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // The parser's message quotes the body back; keep it out of the reply.
    return { ok: false, message: 'Request body is not valid JSON' };
  }
}

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
