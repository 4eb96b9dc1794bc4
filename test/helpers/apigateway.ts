/**
 * Driving API Gateway v2's control plane and a route's function on a running local cloud, as the tests of stages,
 * deployments and integrations need them. API Gateway v2's restJson1 API is called as the SDK sends it (the
 * project has no @aws-sdk/client-apigatewayv2); the function is created with SDK v3.
 */
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';

/** What one API Gateway v2 call answered: the status, the error type header, and the JSON body. */
export interface ApiCallResult {
  status: number;
  type: string | null;
  json: Record<string, unknown>;
}

/**
 * A caller of API Gateway v2's restJson1 API at `endpoint()` (read at each call, so a restarted cloud is followed),
 * signed for `region` with throwaway credentials (the local cloud does not check signatures).
 */
export function apigatewayV2(
  endpoint: () => string,
  region = 'us-east-1',
): (method: string, path: string, body?: unknown) => Promise<ApiCallResult> {
  const authorization = `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/apigateway/aws4_request, SignedHeaders=host, Signature=0`;
  return async (method, path, body) => {
    const res = await fetch(`${endpoint()}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('x-amzn-errortype'),
      json: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
}

/** Creates `name`, a Node function behind an HTTP API route that answers `{ "route": <its routeKey> }`. */
export async function createRouteFunction(endpoint: string, region: string, name: string): Promise<void> {
  const lambda = new LambdaClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::123456789012:role/${name}`,
        Code: {
          ZipFile: zipSync({
            'index.mjs': strToU8(
              'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ route: e.routeKey }) });',
            ),
          }),
        },
      }),
    );
  } finally {
    lambda.destroy();
  }
}
