import type { Clock } from '../../../shared/clock.js';
import type { MailLog, MailMessage, MailTransport, Outbox, OutboxEntry } from './types.js';

/**
 * Sends the pool's messages. Every message is first appended to the durable outbox (so `GET inboxUrl` can show it),
 * then logged by recipient and subject only, then handed to the optional SMTP transport in the background: an SMTP
 * failure is logged and never reaches the user's request, and a slow relay never slows SignUp down.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
 */
export class Mailer {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    private readonly transport: MailTransport | undefined,
    private readonly log: MailLog,
    private readonly clock: Clock,
  ) {}

  async send(m: MailMessage): Promise<OutboxEntry> {
    const entry = this.outbox.append(m, this.clock.now());
    this.log.info(
      // Never the body: it carries confirmation codes and temporary passwords. People read it at the inbox URL.
      { mailId: entry.id, to: m.to, subject: m.subject },
      `mail to ${m.to} subject ${m.subject}`,
    );
    if (this.transport) {
      const delivery = this.transport.send(m).then(
        () => undefined,
        (err: unknown) => {
          // Only the error's own message: nodemailer messages name the server and the SMTP reply, never the body.
          const reason = err instanceof Error ? err.message : 'unknown error';
          (this.log.warn ?? this.log.info).call(
            this.log,
            { mailId: entry.id, to: m.to, reason },
            'mail delivery failed',
          );
        },
      );
      this.#pending.add(delivery);
      void delivery.finally(() => this.#pending.delete(delivery));
    }
    return entry;
  }

  /** Resolves once every delivery started so far has finished or failed; for clean shutdown and tests. */
  async idle(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
