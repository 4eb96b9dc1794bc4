import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdge } from '../edge/index.js';
import { AwsError } from './errors.js';
import type { ServiceModel } from './model.js';
import { fromQueryParams } from './query.js';
import { restJsonService } from './restJson.js';
import { validateInput } from './validate.js';

/** A small restJson1 model in botocore's shape, like Lambda's Invoke and GetFunction. */
const model: ServiceModel = {
  service: 'demo',
  botocore: '0.0.0',
  source: 'test',
  apiVersion: '2015-03-31',
  protocol: 'rest-json',
  signingName: 'demo',
  operations: {
    Invoke: {
      http: { method: 'POST', requestUri: '/2015-03-31/functions/{FunctionName}/invocations' },
      input: 'InvokeRequest',
      output: 'InvokeResponse',
    },
    GetObject: {
      http: { method: 'GET', requestUri: '/things/{Name}/{Path+}' },
      input: 'GetRequest',
      output: 'GetResponse',
    },
    PutConfig: {
      http: {
        method: 'PUT',
        requestUri: '/2015-03-31/functions/{FunctionName}/configuration',
        responseCode: 201,
      },
      input: 'PutConfigRequest',
      output: 'GetResponse',
    },
  },
  shapes: {
    InvokeRequest: {
      type: 'structure',
      required: ['FunctionName'],
      payload: 'Payload',
      members: {
        FunctionName: { shape: 'Name', location: 'uri', locationName: 'FunctionName' },
        InvocationType: {
          shape: 'InvocationType',
          location: 'header',
          locationName: 'X-Amz-Invocation-Type',
        },
        Qualifier: { shape: 'Name', location: 'querystring', locationName: 'Qualifier' },
        Payload: { shape: 'Blob' },
      },
    },
    InvokeResponse: {
      type: 'structure',
      payload: 'Payload',
      members: {
        StatusCode: { shape: 'Integer', location: 'statusCode' },
        FunctionError: { shape: 'Name', location: 'header', locationName: 'X-Amz-Function-Error' },
        Payload: { shape: 'Blob' },
      },
    },
    GetRequest: {
      type: 'structure',
      required: ['Name', 'Path'],
      members: {
        Name: { shape: 'Name', location: 'uri', locationName: 'Name' },
        Path: { shape: 'Name', location: 'uri', locationName: 'Path' },
        MaxItems: { shape: 'Integer', location: 'querystring', locationName: 'MaxItems' },
      },
    },
    GetResponse: { type: 'structure', members: { Name: { shape: 'Name' }, Count: { shape: 'Integer' } } },
    PutConfigRequest: {
      type: 'structure',
      required: ['FunctionName'],
      members: {
        FunctionName: { shape: 'Name', location: 'uri', locationName: 'FunctionName' },
        MemorySize: { shape: 'Memory' },
        Tags: { shape: 'Tags' },
      },
    },
    Name: { type: 'string', min: 1, max: 64 },
    InvocationType: { type: 'string', enum: ['Event', 'RequestResponse', 'DryRun'] },
    Blob: { type: 'blob' },
    Integer: { type: 'integer' },
    Memory: { type: 'integer', min: 128, max: 10240 },
    Tags: { type: 'list', member: { shape: 'Name' } },
    Attrs: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Name' } },
    QueryRequest: {
      type: 'structure',
      members: {
        Names: { shape: 'Tags' },
        Attributes: { shape: 'Attrs' },
        Count: { shape: 'Integer' },
        Flag: { shape: 'Bool' },
        Nested: { shape: 'GetResponse' },
      },
    },
    Bool: { type: 'boolean' },
  },
};

const codes = {
  serialization: 'SerializationException',
  validation: 'ValidationException',
  unknownOperation: 'UnknownOperationException',
};

describe('validateInput', () => {
  it('removes null members, treating them as absent', () => {
    expect(validateInput(model, 'PutConfig', { FunctionName: 'f', MemorySize: null }, codes)).toEqual({
      FunctionName: 'f',
    });
  });

  it('reports a null required member as missing and a null list item as a constraint failure', () => {
    expect(() => validateInput(model, 'PutConfig', { FunctionName: null }, codes)).toThrow(
      "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    );
    expect(() => validateInput(model, 'PutConfig', { FunctionName: 'f', Tags: [null] }, codes)).toThrow(
      "Value null at 'tags.1.member' failed to satisfy constraint",
    );
  });

  it('gives the service its own codes, and refuses an operation without a model', () => {
    const err = (() => {
      try {
        validateInput(model, 'PutConfig', { FunctionName: 'f', MemorySize: 1 }, codes);
      } catch (e) {
        return e as AwsError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AwsError);
    expect(err?.code).toBe('ValidationException');
    expect(() => validateInput(model, 'Nope', {}, codes)).toThrow(/has no demo model and is refused/);
    expect(() => validateInput(model, 'PutConfig', { FunctionName: 5 }, codes)).toThrow(/expected a string/);
  });
});

describe('awsQuery parameters', () => {
  it('reads lists, maps, nested structures, numbers and booleans by the model', () => {
    const params = new URLSearchParams(
      'Names.member.1=a&Names.member.2=b&Attributes.entry.1.key=k&Attributes.entry.1.value=v&Count=3&Flag=true&Nested.Name=n',
    );
    expect(fromQueryParams(model, 'QueryRequest', params)).toEqual({
      Names: ['a', 'b'],
      Attributes: { k: 'v' },
      Count: 3,
      Flag: true,
      Nested: { Name: 'n' },
    });
    expect(fromQueryParams(model, 'QueryRequest', new URLSearchParams('Names=&Count=x'))).toEqual({
      Names: [],
      Count: 'x',
    });
  });
});

describe('restJson1 services', () => {
  let server: Server;
  let url: string;
  const seen: unknown[] = [];
  beforeAll(async () => {
    const service = restJsonService({
      model,
      operations: {
        Invoke: async (input: { Payload?: Buffer; FunctionName: string }) => {
          seen.push({ ...input, Payload: input.Payload?.toString() });
          if (input.FunctionName === 'missing') {
            throw new AwsError('ResourceNotFoundException', 'Function not found', 404, { Type: 'User' });
          }
          return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"ok":1}') };
        },
        GetObject: async (input: { Name: string; Path: string; MaxItems?: number }) => ({
          Name: `${input.Name}:${input.Path}`,
          Count: input.MaxItems,
        }),
        PutConfig: async (input: { FunctionName: string }) => ({ Name: input.FunctionName }),
      },
    });
    const edge = createEdge({ log: { info: () => {}, error: () => {} }, services: [service] });
    server = createServer(edge.listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const auth = {
    authorization: 'AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/demo/aws4_request, Signature=0',
  };

  it('binds URI labels, query, headers and a blob payload, and answers header, status and payload members', async () => {
    const res = await fetch(`${url}/2015-03-31/functions/my-fn/invocations?Qualifier=live`, {
      method: 'POST',
      headers: { ...auth, 'x-amz-invocation-type': 'RequestResponse' },
      body: '{"in":true}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('{"ok":1}');
    expect(seen.at(-1)).toEqual({
      FunctionName: 'my-fn',
      Qualifier: 'live',
      InvocationType: 'RequestResponse',
      Payload: '{"in":true}',
    });
  });

  it('matches greedy labels, converts query numbers and uses the modelled response code', async () => {
    const got = await fetch(`${url}/things/box/a/b%20c.txt?MaxItems=7`, { headers: auth });
    expect(await got.json()).toEqual({ Name: 'box:a/b c.txt', Count: 7 });
    const put = await fetch(`${url}/2015-03-31/functions/f1/configuration`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ MemorySize: 256 }),
    });
    expect(put.status).toBe(201);
  });

  it('answers errors with X-Amzn-ErrorType and the error fields, and validation with ValidationException', async () => {
    const missing = await fetch(`${url}/2015-03-31/functions/missing/invocations`, {
      method: 'POST',
      headers: auth,
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await missing.json()).toEqual({ message: 'Function not found', Type: 'User' });
    const invalid = await fetch(`${url}/2015-03-31/functions/f1/configuration`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ MemorySize: 1 }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const badJson = await fetch(`${url}/2015-03-31/functions/f1/configuration`, {
      method: 'PUT',
      headers: auth,
      body: '{',
    });
    expect(badJson.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const unknown = await fetch(`${url}/nothing/here`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
