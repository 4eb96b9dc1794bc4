import { connect } from 'node:net';

/** How a connection ended: the bytes the server sent before closing it. */
export interface Closed {
  answer: string;
}

/**
 * Opens a connection to `origin`, runs `act` on it, and resolves when the server closes it. Never resolves while the
 * server holds it open: the caller's test timeout is the bound.
 */
function closedBy(origin: string, act: (write: (s: string) => void) => () => void): Promise<Closed> {
  const url = new URL(origin);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    let stop = () => {};
    socket.on('connect', () => {
      stop = act((s) => {
        if (!socket.destroyed) socket.write(s);
      });
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      stop();
      resolve({ answer });
    });
  });
}

/** Declares `Content-Length: 1000` and sends 2 bytes of body, then nothing. */
export function slowBody(origin: string, path = '/'): Promise<Closed> {
  const host = new URL(origin).host;
  return closedBy(origin, (write) => {
    write(
      `POST ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: 1000\r\n\r\n{}`,
    );
    return () => {};
  });
}

/** Sends a request line, then one header byte every `everyMs` (each well inside any idle timeout), forever. */
export function trickledHeaders(origin: string, everyMs = 50): Promise<Closed> {
  return closedBy(origin, (write) => {
    write('GET / HTTP/1.1\r\nx-slow: ');
    const timer = setInterval(() => write('a'), everyMs);
    return () => clearInterval(timer);
  });
}

/** Sends one complete request with keep-alive, reads the answer, then stays idle. */
export function idleKeepAlive(origin: string, path = '/'): Promise<Closed> {
  const host = new URL(origin).host;
  return closedBy(origin, (write) => {
    write(`GET ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n\r\n`);
    return () => {};
  });
}
