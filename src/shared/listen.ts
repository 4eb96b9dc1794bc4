/**
 * The one way the local cloud binds a port. Every listener (the AWS endpoints, the Hosted UI, each HTTP API) is a
 * node:http server made here, so the same request, header and keep-alive limits apply on every port, and it is
 * bound for real before anything computes a URL from it (port 0 = any free port, no probe-then-rebind race).
 * Fastify apps serve on these servers through `serverFactory`.
 */
import { createServer, type Server, type ServerOptions } from 'node:http';

/** Time limits for one connection, the same on every port. */
export interface ListenerLimits {
  /** The whole request (headers and body) must arrive within this; else 408 and the socket closes. */
  requestTimeoutMs: number;
  /** The request line and headers must arrive within this (at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

/**
 * Defaults: 30 s for a request, 10 s for its headers, 5 s idle keep-alive (Node's own keep-alive default).
 * [unverified] AWS documents no such limits for its endpoints; these only stop a slow client holding a socket.
 */
export const DEFAULT_LISTENER_LIMITS: Readonly<ListenerLimits> = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
});

/** Checks that limits make sense, naming the field that does not (misuse fails at construction). */
export function checkListenerLimits(limits: ListenerLimits): ListenerLimits {
  for (const [name, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`listener limit ${name} must be a positive integer`);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error('listener limit headersTimeoutMs must not exceed requestTimeoutMs');
  }
  return limits;
}

/**
 * A node:http server with `limits` applied. Node checks the request and header deadlines every
 * `connectionsCheckingInterval`, so that interval follows the limits (a 30 s default check would let a 1 s limit
 * run 30 s).
 */
export function createHttpServer(
  limits: ListenerLimits = DEFAULT_LISTENER_LIMITS,
  options: Pick<ServerOptions, 'maxHeaderSize'> = {},
): Server {
  checkListenerLimits(limits);
  const server = createServer({
    ...options,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  return server;
}

export interface BoundServer {
  server: Server;
  /** The port actually bound (the real one when 0 was asked for). */
  port: number;
}

/** Binds `server` on `host:port` (0 = any free port) and resolves with the bound port. */
export function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Creates a server with `limits` and binds it: the one listen helper. */
export async function listenHttp(
  host: string,
  port: number,
  limits: ListenerLimits = DEFAULT_LISTENER_LIMITS,
  options: Pick<ServerOptions, 'maxHeaderSize'> = {},
): Promise<BoundServer> {
  const server = createHttpServer(limits, options);
  return { server, port: await listenOn(server, host, port) };
}

/** `http://host:port`, with IPv6 hosts in brackets. */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Stops accepting, drops open (keep-alive) connections, and resolves when the server is closed. */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
