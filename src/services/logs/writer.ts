import type { Clock } from '../../shared/clock.js';
import type { LogsStore, NewLogEvent } from '../../store/logs.js';

/** CloudWatch Logs' limit on one event: 256 KB, less 26 bytes of overhead. */
export const MAX_EVENT_BYTES = 262_118;

export interface LogWriterOptions {
  store: LogsStore;
  clock: Clock;
  /** How long an event may wait to be stored with those that follow it. Default 100 ms. */
  flushMs?: number;
  /** Events held beyond this many are stored at once. Default 1000. */
  batchSize?: number;
}

/**
 * Collects the log lines the local cloud writes itself (functions' output, stages' access logs) and stores them in
 * batches: one SQLite transaction per `flushMs` or `batchSize` events, so logging costs no write per line. Missing
 * groups and streams are created, as Lambda and API Gateway do when they have permission. Readers call flush()
 * first, so a read always sees every line written before it.
 */
export class LogWriter {
  readonly #store: LogsStore;
  readonly #clock: Clock;
  readonly #flushMs: number;
  readonly #batchSize: number;
  #pending: NewLogEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(o: LogWriterOptions) {
    this.#store = o.store;
    this.#clock = o.clock;
    this.#flushMs = o.flushMs ?? 100;
    this.#batchSize = o.batchSize ?? 1000;
  }

  /** Queues one event; `timestamp` defaults to now. An oversized message is cut to CloudWatch's limit. */
  write(group: string, stream: string, message: string, timestamp = this.#clock.now()): void {
    if (this.#closed) return;
    const text = message.length * 3 > MAX_EVENT_BYTES ? truncate(message) : message;
    this.#pending.push({ group, stream, timestamp, message: text });
    if (this.#pending.length >= this.#batchSize) this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), this.#flushMs);
      this.#timer.unref();
    }
  }

  /** Stores everything queued, in one transaction. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#store.append(batch, this.#clock.now(), true);
  }

  close(): void {
    this.flush();
    this.#closed = true;
  }
}

function truncate(message: string): string {
  const bytes = Buffer.from(message, 'utf8');
  return bytes.length <= MAX_EVENT_BYTES ? message : bytes.subarray(0, MAX_EVENT_BYTES).toString('utf8');
}
