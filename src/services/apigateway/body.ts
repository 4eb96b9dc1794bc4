import type { Readable } from 'node:stream';

/** What reading a request body gave: the bytes, none, over the quota, or the client went away. */
export type BodyResult = Buffer | undefined | 'too-large' | 'aborted';

/** Bytes of request bodies the gateway holds in memory right now, and the most it ever held at once. */
export class BodyMeter {
  buffered = 0;
  peak = 0;
  add(n: number): void {
    this.buffered += n;
    if (this.buffered > this.peak) this.peak = this.buffered;
  }
  release(n: number): void {
    this.buffered -= n;
  }
}

/**
 * Reads a body as it streams in, refusing it the moment it passes `limit` bytes (the chunks read so far are
 * dropped and the stream is no longer read). `hasBody` false (neither Content-Length nor Transfer-Encoding) gives
 * `undefined`. `meter` counts the bytes held while reading.
 */
export function readBody(
  stream: Readable,
  hasBody: boolean,
  limit: number,
  meter: BodyMeter,
): Promise<BodyResult> {
  if (!hasBody) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      meter.release(size);
      chunks.length = 0;
      stream.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > limit) {
        stream.pause();
        finish('too-large');
        return;
      }
      size += chunk.length;
      meter.add(chunk.length);
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.on('end', () => {
      if (done) return;
      const body = Buffer.concat(chunks, size);
      finish(body);
    });
    stream.on('close', () => finish('aborted'));
    stream.on('error', () => finish('aborted'));
  });
}
