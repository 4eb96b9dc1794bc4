import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Invocation, RuntimeMessage } from './contract.js';

/** A body past this is not read further; the scheduler refuses responses over Lambda's 6 MB anyway. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const PREFIX = '/2018-06-01/runtime';

/**
 * The Runtime API of one execution environment over HTTP, as `AWS_LAMBDA_RUNTIME_API` serves it: `next` waits until
 * the host delivers an invocation; `response`, `error` and `init/error` are answered 202 and handed to the host as
 * the contract's messages. One server per environment, as on Lambda, so no call names which environment it is.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 */
export class RuntimeApiServer {
  readonly #server: Server;
  readonly #onMessage: (m: RuntimeMessage) => void;
  /** The invocation delivered but not yet fetched, or the `next` call waiting for one. */
  #queued: Invocation | undefined;
  #waiting: ServerResponse | undefined;
  /** The invocation handed out and not yet answered. */
  #current: string | undefined;

  constructor(onMessage: (m: RuntimeMessage) => void) {
    this.#onMessage = onMessage;
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch(() =>
        reply(res, 500, { errorType: 'ServiceException', errorMessage: 'Internal error' }),
      );
    });
    // A long-polling `next` must not be cut by Node's default timeouts.
    this.#server.requestTimeout = 0;
    this.#server.headersTimeout = 0;
  }

  /** Listens on 127.0.0.1, a free port; resolves to `host:port` for AWS_LAMBDA_RUNTIME_API. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        const a = this.#server.address() as AddressInfo;
        resolve(`127.0.0.1:${a.port}`);
      });
    });
  }

  /** Answers the waiting `next`, or keeps the invocation for the next one. */
  deliver(invocation: Invocation): void {
    // Serialise now, so that an event JSON cannot carry fails the caller rather than the runtime.
    const body = JSON.stringify(invocation.event === undefined ? null : invocation.event);
    const inv = { ...invocation, event: body };
    const res = this.#waiting;
    if (res === undefined) {
      this.#queued = inv;
      return;
    }
    this.#waiting = undefined;
    this.#send(res, inv);
  }

  close(): Promise<void> {
    this.#waiting?.destroy();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  unref(): void {
    this.#server.unref();
  }

  ref(): void {
    this.#server.ref();
  }

  #send(res: ServerResponse, inv: Invocation): void {
    this.#current = inv.requestId;
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': inv.requestId,
      'lambda-runtime-deadline-ms': String(inv.deadlineMs),
      'lambda-runtime-invoked-function-arn': inv.invokedFunctionArn,
      'lambda-runtime-trace-id': inv.traceId,
    });
    res.end(inv.event as string);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.#onMessage({ t: 'next' });
      const inv = this.#queued;
      if (inv !== undefined) {
        this.#queued = undefined;
        this.#send(res, inv);
      } else {
        this.#waiting?.destroy();
        this.#waiting = res;
      }
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      reply(res, 413, {
        errorType: 'RequestEntityTooLarge',
        errorMessage: `Exceeded maximum allowed payload size (${MAX_BODY_BYTES} bytes).`,
      });
      return;
    }
    if (req.method === 'POST' && path === `${PREFIX}/init/error`) {
      const e = errorOf(body, req);
      reply(res, 202, { status: 'OK' });
      this.#onMessage({ t: 'initError', ...e });
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method !== 'POST' || m === null) {
      reply(res, 404, { errorType: 'InvalidRequest', errorMessage: 'Unknown Runtime API path' });
      return;
    }
    const requestId = decodeURIComponent(m[1] as string);
    if (requestId !== this.#current) {
      reply(res, 400, { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' });
      return;
    }
    this.#current = undefined;
    reply(res, 202, { status: 'OK' });
    if (m[2] === 'response') this.#onMessage({ t: 'response', requestId, json: body.toString('utf8') });
    else this.#onMessage({ t: 'error', requestId, ...errorOf(body, req) });
  }
}

function reply(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** The runtime's error document `{errorType, errorMessage, stackTrace}`; the header names the type when it has none. */
function errorOf(body: Buffer, req: IncomingMessage): { errorType: string; errorMessage: string } {
  const header = req.headers['lambda-runtime-function-error-type'];
  let doc: { errorType?: unknown; errorMessage?: unknown } = {};
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed !== null && typeof parsed === 'object') doc = parsed as typeof doc;
  } catch {
    // Not JSON: Lambda keeps the type from the header and reports no message.
  }
  return {
    errorType:
      typeof doc.errorType === 'string' ? doc.errorType : typeof header === 'string' ? header : 'Unhandled',
    errorMessage: typeof doc.errorMessage === 'string' ? doc.errorMessage : '',
  };
}
