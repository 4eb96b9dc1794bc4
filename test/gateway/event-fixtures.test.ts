import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { domainOf, type GatewayRequest, toEventV2 } from '../../src/gateway/event.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, never>;

describe('payload 2.0 events against recorded real events (test/fixtures/README.md)', () => {
  it('rebuilds the captured Cognito ID-token event of powertools issue #2624 exactly', () => {
    const recorded = fixture('apigw-http-jwt-cognito-id-token.json');
    // The request HTTPie sent, as the gateway received it (mixed-case names, as on the wire).
    const req: GatewayRequest = {
      method: 'POST',
      rawPath: '/cognito',
      rawQueryString: '',
      headers: [
        ['Host', 'lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com'],
        ['User-Agent', 'HTTPie/3.2.2'],
        ['Accept-Encoding', 'gzip, deflate'],
        ['Accept', '*/*'],
        ['Authorization', 'Bearer eyJra[...]A'],
        ['Content-Length', '0'],
      ],
      body: Buffer.alloc(0),
      sourceIp: '15.248.3.126',
      protocol: 'HTTP/1.1',
    };
    // The verified token's payload, with its real JSON types (numbers stay numbers until the converter).
    const claims = {
      aud: '3nkoep4151b7umeggnottc30u9',
      auth_time: 1718636404,
      'cognito:username': 'aamorosi',
      event_id: 'c7f6cc62-c476-4c6a-ba5b-745244dfe5ee',
      exp: 1718722804,
      iat: 1718636404,
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_y0bLG4i27',
      jti: '13727aba-89e6-4896-bd9e-8cbc0f478f9c',
      origin_jti: '37cc02cf-5c14-4636-beb3-4f8ca887935b',
      sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
      token_use: 'id',
    };
    const event = toEventV2(req, {
      accountId: '123456789012',
      apiId: 'lsw1ro4ipb',
      ...domainOf('lsw1ro4ipb.execute-api.eu-west-1.amazonaws.com', 'lsw1ro4ipb'),
      stage: '$default',
      routeKey: 'POST /cognito',
      requestId: 'ZhMpgigvDoEEPlg=',
      timeEpoch: 1718639369348,
      traceId: 'Root=1-66705b09-5f85233d2fb7bd54034f7e30',
      forwardedPort: 443,
      forwardedProto: 'https',
      pathParameters: {},
      stageVariables: {},
      jwt: { claims, routeScopes: [] },
    });
    expect(JSON.parse(JSON.stringify(event))).toEqual(recorded);
  });

  it('keeps a named stage in rawPath and out of routeKey, as in serverless-wsgi issue #191', () => {
    const recorded = fixture('serverless-wsgi-191-named-stage.excerpt.json');
    const event = toEventV2(
      {
        method: 'GET',
        rawPath: '/dev/agents/1234',
        rawQueryString: '',
        headers: [
          ['host', 'xxxxxxxx.execute-api.us-east-1.amazonaws.com'],
          ['content-length', '0'],
        ],
        body: undefined,
        sourceIp: '192.0.2.1',
        protocol: 'HTTP/1.1',
      },
      {
        accountId: '123456789012',
        apiId: 'xxxxxxxx',
        ...domainOf('xxxxxxxx.execute-api.us-east-1.amazonaws.com', 'xxxxxxxx'),
        stage: 'dev',
        routeKey: 'ANY /agents/{proxy+}',
        requestId: 'id',
        timeEpoch: 0,
        traceId: 'Root=1-00000000-000000000000000000000000',
        forwardedPort: 443,
        forwardedProto: 'https',
        pathParameters: { proxy: '1234' },
        stageVariables: {},
      },
    );
    expect(event).toMatchObject(recorded);
    expect(event.requestContext.http.path).toBe('/dev/agents/1234');
    expect(event.requestContext.stage).toBe('dev');
  });
});
