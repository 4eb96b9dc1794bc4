import type { Logger } from '../../../shared/logger.js';

/** A message as the pool renders it from its templates. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Sender; defaults to Cognito's own `no-reply@verificationemail.com`. */
  from?: string;
}

/** A message as kept in the outbox. */
export interface OutboxEntry extends MailMessage {
  id: string;
  /** ISO 8601, from the injected clock. */
  sentAt: string;
}

/** The durable record of every message the pool sent: the source of `GET inboxUrl?to=`. */
export interface Outbox {
  append(m: MailMessage, sentAtMs: number): OutboxEntry;
  /** Newest first; `to` matches case-insensitively; `limit` caps the count. */
  list(to?: string, limit?: number): OutboxEntry[];
}

/** Real delivery, e.g. SMTP. */
export interface MailTransport {
  send(m: MailMessage): Promise<void>;
}

/** The slice of the shared logger the mailer needs. */
export type MailLog = Pick<Logger, 'info'> & Partial<Pick<Logger, 'warn'>>;

/** Cognito's default sender when the pool has no SES configuration. */
export const DEFAULT_FROM = 'no-reply@verificationemail.com';
