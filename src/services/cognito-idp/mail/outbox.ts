import { randomUUID } from 'node:crypto';
import type { MailMessage, Outbox, OutboxEntry } from './types.js';

/** An in-memory outbox for tests; the service uses a SQLite one with the same contract. */
export class MemoryOutbox implements Outbox {
  readonly #entries: OutboxEntry[] = [];

  append(m: MailMessage, sentAtMs: number): OutboxEntry {
    const entry: OutboxEntry = { ...m, id: randomUUID(), sentAt: new Date(sentAtMs).toISOString() };
    this.#entries.push(entry);
    return entry;
  }

  list(to?: string, limit?: number): OutboxEntry[] {
    const want = to?.toLowerCase();
    const out: OutboxEntry[] = [];
    // Newest first; entries arrive in clock order, and later appends win ties of the same millisecond.
    const sorted = this.#entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.sentAt.localeCompare(a.e.sentAt) || b.i - a.i);
    for (const { e } of sorted) {
      if (want !== undefined && e.to.toLowerCase() !== want) continue;
      out.push(e);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }
}
