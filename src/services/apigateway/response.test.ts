import { describe, expect, it } from 'vitest';
import { CALLER_TIMED_OUT, FUNCTION_TIMED_OUT, type InvokeResult } from '../../shared/invoker.js';
import { mapInvokeResult } from './response.js';

const ok = (payload: unknown): InvokeResult => ({
  ok: true,
  payload,
  requestId: 'r',
  durationMs: 1,
  coldStart: false,
});
const fail = (kind: 'Timeout' | 'Unhandled' | 'Crash' | 'NotFound', errorType = 'Error'): InvokeResult => ({
  ok: false,
  kind,
  errorType,
  errorMessage: 'boom',
  requestId: 'r',
});

describe('mapInvokeResult (payload 2.0 response mapping)', () => {
  it('uses statusCode, headers and body of the full form', () => {
    const r = mapInvokeResult(
      ok({ statusCode: 201, headers: { 'X-Id': 7, 'Content-Type': 'text/plain' }, body: 'hi' }),
    );
    expect(r.statusCode).toBe(201);
    expect(r.headers).toEqual({ 'x-id': '7', 'content-type': 'text/plain' });
    expect(r.body.toString()).toBe('hi');
  });

  it('sends each cookie as its own set-cookie header', () => {
    const r = mapInvokeResult(ok({ statusCode: 200, cookies: ['a=1; Path=/', 'b=2'], body: '' }));
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
  });

  it('decodes a base64 body', () => {
    const r = mapInvokeResult(
      ok({ statusCode: 200, isBase64Encoded: true, body: Buffer.from([1, 2, 3]).toString('base64') }),
    );
    expect([...r.body]).toEqual([1, 2, 3]);
  });

  it('infers 200 JSON for an object without statusCode', () => {
    const r = mapInvokeResult(ok({ message: 'Hello from Lambda!' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.toString()).toBe('{"message":"Hello from Lambda!"}');
  });

  it('keeps a string result as the body unchanged', () => {
    const r = mapInvokeResult(ok('Hello from Lambda!'));
    expect(r.statusCode).toBe(200);
    expect(r.body.toString()).toBe('Hello from Lambda!');
  });

  it.each([
    ['a statusCode that is not a number', { statusCode: '200' }],
    ['a statusCode out of range', { statusCode: 1000 }],
    ['a body that is not a string', { statusCode: 200, body: { a: 1 } }],
    ['headers that are not an object', { statusCode: 200, headers: ['x'] }],
    ['a header value with a newline', { statusCode: 200, headers: { 'x-a': 'a\r\nb' } }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])('answers 500 Internal Server Error for %s', (_name, payload) => {
    const r = mapInvokeResult(ok(payload));
    expect(r.statusCode).toBe(500);
    expect(r.body.toString()).toBe('{"message":"Internal Server Error"}');
    expect(r.integrationErrorMessage).toBeTruthy();
  });

  it('answers 500 when the function threw or its worker crashed', () => {
    for (const kind of ['Unhandled', 'Crash', 'NotFound'] as const) {
      const r = mapInvokeResult(fail(kind));
      expect(r.statusCode).toBe(500);
      expect(r.body.toString()).toBe('{"message":"Internal Server Error"}');
      expect(r.body.toString()).not.toContain('boom');
    }
  });

  it('answers 500 when the function ran past its own Timeout (a function error)', () => {
    const r = mapInvokeResult(fail('Timeout', FUNCTION_TIMED_OUT));
    expect(r.statusCode).toBe(500);
    expect(r.body.toString()).toBe('{"message":"Internal Server Error"}');
  });

  it('answers 503 Service Unavailable on an integration timeout', () => {
    const r = mapInvokeResult(fail('Timeout', CALLER_TIMED_OUT));
    expect(r.statusCode).toBe(503);
    expect(r.body.toString()).toBe('{"message":"Service Unavailable"}');
  });
});

describe('mapInvokeResult framing', () => {
  it('drops hop-by-hop and length headers the function sets', () => {
    const r = mapInvokeResult(
      ok({
        statusCode: 200,
        headers: { 'Transfer-Encoding': 'chunked', 'Content-Length': '999', Connection: 'close', 'x-a': '1' },
        body: 'ok',
      }),
    );
    expect(r.headers).toEqual({ 'x-a': '1' });
  });
});
