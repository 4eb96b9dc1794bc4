import { createRequire } from 'node:module';
import type { MailMessage, MailTransport } from './types.js';
import { DEFAULT_FROM } from './types.js';

/**
 * Real delivery through SMTP, configured by a nodemailer URL such as `smtp://user:pass@host:587` or
 * `smtps://host:465`. Throws at construction for a URL nodemailer cannot use.
 * @see https://nodemailer.com/smtp/
 */
export function createSmtpTransport(url: string): MailTransport {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('smtpUrl is not a valid URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error('smtpUrl must start with smtp:// or smtps://');
  }
  // Loaded only when SMTP is configured: most starts never deliver mail outside the inbox (start time, memory).
  const { createTransport } = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transporter = createTransport(url);
  return {
    async send(m: MailMessage): Promise<void> {
      await transporter.sendMail({
        from: m.from ?? DEFAULT_FROM,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html !== undefined ? { html: m.html } : {}),
      });
    },
  };
}
