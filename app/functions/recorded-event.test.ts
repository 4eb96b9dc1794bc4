import { readFileSync } from 'node:fs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ApiEvent, handler } from './api.js';
import { httpApiEvent, ID_TOKEN_CLAIMS } from './fixtures/events.js';

/**
 * The handler against an event a live HTTP API delivered (test/fixtures/README.md: powertools issue #2624, a
 * Cognito ID token through a JWT authorizer), and the hand-built fixtures checked against its shape, so the unit
 * tests in api.test.ts keep using events that match real ones.
 */
const recorded = JSON.parse(
  readFileSync(new URL('../../test/fixtures/apigw-http-jwt-cognito-id-token.json', import.meta.url), 'utf8'),
) as ApiEvent;

/** The recorded event as it would reach this app: the same request, routed to `POST /person`. */
function recordedOnPerson(): ApiEvent {
  const event = structuredClone(recorded);
  event.routeKey = 'POST /person';
  event.rawPath = '/person';
  event.requestContext.routeKey = 'POST /person';
  event.requestContext.http.path = '/person';
  return event;
}

function keysOf(value: object | undefined): string[] {
  return Object.keys(value ?? {}).sort();
}

describe('a recorded real payload-2.0 event', () => {
  it('gets the caller of its Cognito ID token back as JSON', async () => {
    const result = (await handler(recordedOnPerson())) as APIGatewayProxyStructuredResultV2;

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(String(result.body))).toEqual({
      message: '[POST METHOD]Hello,world',
      caller: {
        sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
        username: 'aamorosi',
        tokenUse: 'id',
        scopes: [],
      },
      // The recorded POST had no body (content-length 0): an empty request, not a malformed one.
      received: null,
    });
  });

  it('is matched field for field by the fixtures the unit tests build', () => {
    const built = httpApiEvent({ method: 'POST', path: '/person', claims: { ...ID_TOKEN_CLAIMS } });

    expect(keysOf(built)).toEqual(keysOf(recorded));
    expect(keysOf(built.requestContext)).toEqual(keysOf(recorded.requestContext));
    expect(keysOf(built.requestContext.http)).toEqual(keysOf(recorded.requestContext.http));
    expect(keysOf(built.requestContext.authorizer?.jwt)).toEqual(
      keysOf(recorded.requestContext.authorizer?.jwt),
    );
    expect(built.requestContext.authorizer?.jwt.scopes).toBeNull();
    // Every header AWS adds is there, lowercase, and every claim API Gateway forwards is a string.
    for (const name of Object.keys(recorded.headers).filter((h) => h.startsWith('x-') || h === 'host')) {
      expect(built.headers[name], name).toEqual(expect.any(String));
    }
    for (const [claim, value] of Object.entries(built.requestContext.authorizer?.jwt.claims ?? {})) {
      expect(typeof value, claim).toBe('string');
    }
    expect(built.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });
});
