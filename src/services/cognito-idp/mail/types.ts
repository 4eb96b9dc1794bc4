import type { Logger } from '../../../shared/logger.js';
import type { MailMessage } from '../../../store/index.js';

// The message and outbox shapes belong to the store (the outbox is kept there); the mail module uses them as is.
export type { MailMessage, Outbox, OutboxEntry } from '../../../store/index.js';

/** Real delivery, e.g. SMTP. */
export interface MailTransport {
  send(m: MailMessage): Promise<void>;
}

/** The slice of the shared logger the mailer needs. */
export type MailLog = Pick<Logger, 'info'> & Partial<Pick<Logger, 'warn'>>;

/** Cognito's default sender when the pool has no SES configuration. */
export const DEFAULT_FROM = 'no-reply@verificationemail.com';
