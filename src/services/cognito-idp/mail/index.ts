export { escapeHtml, renderInboxHtml } from './html.js';
export { Mailer } from './mailer.js';
export { MemoryOutbox } from './outbox.js';
export { createSmtpTransport } from './smtp.js';
export { DEFAULT_TEMPLATES, renderTemplate } from './template.js';
export type { MailLog, MailMessage, MailTransport, Outbox, OutboxEntry } from './types.js';
export { DEFAULT_FROM } from './types.js';
