import { Transform, type TransformCallback } from 'node:stream';
import { AwsError } from '../../protocols/index.js';

const CRLF = Buffer.from('\r\n');
/** A chunk header (`<hex size>[;chunk-signature=<hex>]`) is short; anything longer is not aws-chunked. */
const MAX_HEADER = 4096;

const malformed = () =>
  new AwsError('IncompleteBody', 'The request body is not valid aws-chunked encoding.', 400);

/**
 * Decodes an `aws-chunked` body (`Content-Encoding: aws-chunked`), signed or not:
 * `<hex>;chunk-signature=<sig>\r\n<bytes>\r\n ... 0;chunk-signature=<sig>\r\n[<trailer>: <value>\r\n]*\r\n`.
 * Passes the payload bytes through and collects the trailing headers (e.g. `x-amz-checksum-crc32`). Chunk
 * signatures are not verified, as no signature is.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  #buf: Buffer = Buffer.alloc(0);
  #remaining = 0;
  #state: 'header' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'header';

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    try {
      this.#drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.#state === 'done' ? null : malformed());
  }

  #line(): string | undefined {
    const i = this.#buf.indexOf(CRLF);
    if (i < 0) {
      if (this.#buf.length > MAX_HEADER) throw malformed();
      return undefined;
    }
    const line = this.#buf.subarray(0, i).toString('latin1');
    this.#buf = this.#buf.subarray(i + 2);
    return line;
  }

  #drain(): void {
    for (;;) {
      switch (this.#state) {
        case 'header': {
          const line = this.#line();
          if (line === undefined) return;
          const size = line.split(';')[0]?.trim() ?? '';
          if (!/^[0-9a-fA-F]{1,16}$/.test(size)) throw malformed();
          this.#remaining = Number.parseInt(size, 16);
          this.#state = this.#remaining === 0 ? 'trailer' : 'data';
          break;
        }
        case 'data': {
          if (!this.#buf.length) return;
          const n = Math.min(this.#remaining, this.#buf.length);
          this.push(this.#buf.subarray(0, n));
          this.#buf = this.#buf.subarray(n);
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = 'data-crlf';
          break;
        }
        case 'data-crlf': {
          if (this.#buf.length < 2) return;
          if (this.#buf[0] !== 13 || this.#buf[1] !== 10) throw malformed();
          this.#buf = this.#buf.subarray(2);
          this.#state = 'header';
          break;
        }
        case 'trailer': {
          const line = this.#line();
          if (line === undefined) return;
          if (line === '') {
            this.#state = 'done';
            break;
          }
          const i = line.indexOf(':');
          if (i <= 0) throw malformed();
          this.trailers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
          break;
        }
        case 'done':
          // Anything after the final CRLF is ignored, as S3 does.
          this.#buf = Buffer.alloc(0);
          return;
      }
    }
  }
}
