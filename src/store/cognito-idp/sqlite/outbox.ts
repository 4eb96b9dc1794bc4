import type { Db } from '../../db.js';
import type { MailMessage, OutboxEntry } from '../records.js';
import type { Outbox } from '../store.js';

interface Row {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  sent_at: number;
}

const toEntry = (r: Row): OutboxEntry => ({
  id: String(r.id),
  to: r.recipient,
  subject: r.subject,
  text: r.body,
  sentAt: new Date(r.sent_at).toISOString(),
});

/**
 * The durable outbox in SQLite: mail survives restarts, so a code can be read from the inbox after the server
 * restarts. Addresses are matched case-insensitively, as mail systems treat them.
 */
export class SqliteOutbox implements Outbox {
  readonly #insert;
  readonly #all;
  readonly #byRecipient;
  constructor(db: Db) {
    this.#insert = db.prepare('INSERT INTO outbox (recipient, subject, body, sent_at) VALUES (?, ?, ?, ?)');
    this.#all = db.prepare('SELECT * FROM outbox ORDER BY id DESC LIMIT ?');
    this.#byRecipient = db.prepare('SELECT * FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT ?');
  }
  append(m: MailMessage, sentAtMs: number): OutboxEntry {
    const to = m.to.toLowerCase();
    const info = this.#insert.run(to, m.subject, m.text, sentAtMs);
    return toEntry({
      id: Number(info.lastInsertRowid),
      recipient: to,
      subject: m.subject,
      body: m.text,
      sent_at: sentAtMs,
    });
  }
  list(to?: string, limit = 100): OutboxEntry[] {
    const rows = (
      to === undefined ? this.#all.all(limit) : this.#byRecipient.all(to.toLowerCase(), limit)
    ) as Row[];
    return rows.map(toEntry);
  }
}
