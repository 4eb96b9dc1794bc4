import type { MailMessage } from '../../../store/index.js';

// The message and outbox shapes belong to the store (the outbox is kept there); the mail module uses them as is.
export type { MailMessage, Outbox, OutboxEntry } from '../../../store/index.js';

/** Real delivery, e.g. SMTP. */
export interface MailTransport {
  send(m: MailMessage): Promise<void>;
}

/** The slice of a pino logger the mailer needs. */
export interface MailLog {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

/** Cognito's default sender when the pool has no SES configuration. */
export const DEFAULT_FROM = 'no-reply@verificationemail.com';
