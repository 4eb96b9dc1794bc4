import { randomUUID } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Object bytes on disk: `<dir>/tmp/<id>` while being written, `<dir>/blobs/<id>` once durable. A blob is made durable
 * by fsync of the file, rename into `blobs/`, and fsync of the directory, before its metadata row is committed: an
 * object is acknowledged only after that, and a crash at any point leaves at most an unreferenced file, never a half
 * object behind a key. Unreferenced files are swept at start.
 */
export class BlobStore {
  readonly #tmp: string;
  readonly #blobs: string;

  constructor(dir: string) {
    this.#tmp = join(dir, 'tmp');
    this.#blobs = join(dir, 'blobs');
    mkdirSync(this.#tmp, { recursive: true, mode: 0o700 });
    mkdirSync(this.#blobs, { recursive: true, mode: 0o700 });
  }

  /** A fresh temp file path to write a new blob to; hand it to `commit` when complete. */
  newTemp(): { id: string; path: string } {
    const id = randomUUID();
    return { id, path: join(this.#tmp, id) };
  }

  /** fsync + rename into place + fsync of the directory: after this returns, the bytes survive a crash. */
  commit(id: string): void {
    const tmp = join(this.#tmp, id);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.#blobs, id));
    const dfd = openSync(this.#blobs, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  discardTemp(id: string): void {
    rmSync(join(this.#tmp, id), { force: true });
  }

  /**
   * Discards a temp file once the stream writing it has closed (bounded): a write stream whose pipeline failed early
   * may not have opened its file yet, and would otherwise create it after the discard.
   */
  async discardTempAfterClose(
    id: string,
    sink?: { readonly closed: boolean; once(e: 'close', f: () => void): unknown },
  ) {
    if (sink && !sink.closed) {
      await new Promise<void>((resolve) => {
        sink.once('close', resolve);
        setTimeout(resolve, 5_000).unref();
      });
    }
    this.discardTemp(id);
  }

  path(id: string): string {
    return join(this.#blobs, id);
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(id), range ? { start: range.start, end: range.end } : {});
  }

  remove(id: string): void {
    rmSync(this.path(id), { force: true });
  }

  /** Removes temp files and blobs no row refers to (left by a crash between the rename and the commit). */
  sweep(isReferenced: (id: string) => boolean): number {
    let removed = 0;
    for (const f of readdirSync(this.#tmp)) {
      rmSync(join(this.#tmp, f), { force: true });
      removed++;
    }
    for (const f of readdirSync(this.#blobs)) {
      if (!isReferenced(f)) {
        rmSync(join(this.#blobs, f), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
