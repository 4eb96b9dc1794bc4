import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../shared/clock.js';
import type { MailMessage, MailTransport } from './index.js';
import { createSmtpTransport, Mailer, MemoryOutbox, renderInboxHtml, renderTemplate } from './index.js';

class RecordingLog {
  readonly lines: Array<{ obj: object; msg: string }> = [];
  info(obj: object, msg: string): void {
    this.lines.push({ obj, msg });
  }
  warn(obj: object, msg: string): void {
    this.lines.push({ obj, msg });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

const CODE_MAIL: MailMessage = {
  to: 'jo@example.com',
  subject: 'Your verification code',
  text: 'Your confirmation code is 493017',
};

describe('renderTemplate', () => {
  it('fills the code and the username wherever they appear', () => {
    expect(
      renderTemplate('Hi {username}, code {####}. Again: {####}', { code: '123456', username: 'jo' }),
    ).toBe('Hi jo, code 123456. Again: 123456');
  });

  it('inserts values literally, even ones that look like replacement patterns', () => {
    expect(renderTemplate('User {username}', { username: "$& $' $1" })).toBe("User $& $' $1");
  });

  it('leaves placeholders without a value untouched', () => {
    expect(renderTemplate('Your temporary password is {####}', { username: 'jo' })).toBe(
      'Your temporary password is {####}',
    );
  });
});

describe('MemoryOutbox', () => {
  it('lists messages newest first, filtered by recipient case-insensitively and limited', () => {
    const outbox = new MemoryOutbox();
    const clock = new FakeClock();
    outbox.append({ ...CODE_MAIL, subject: 'first' }, clock.now());
    clock.advance(1000);
    outbox.append({ ...CODE_MAIL, to: 'other@example.com', subject: 'other' }, clock.now());
    outbox.append({ ...CODE_MAIL, subject: 'second' }, clock.now());
    clock.advance(1000);
    const third = outbox.append({ ...CODE_MAIL, subject: 'third' }, clock.now());
    expect(outbox.list('JO@example.com').map((e) => e.subject)).toEqual(['third', 'second', 'first']);
    expect(outbox.list(undefined, 2).map((e) => e.subject)).toEqual(['third', 'second']);
    expect(outbox.list('nobody@example.com')).toEqual([]);
    expect(third.sentAt).toBe(new Date(clock.now()).toISOString());
    expect(third.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Mailer', () => {
  it('appends to the outbox and logs recipient and subject but not the body', async () => {
    const outbox = new MemoryOutbox();
    const log = new RecordingLog();
    const mailer = new Mailer(outbox, undefined, log, new FakeClock());
    const entry = await mailer.send(CODE_MAIL);
    expect(outbox.list('jo@example.com')).toEqual([entry]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.msg).toBe('mail to jo@example.com subject Your verification code');
    expect(log.text()).not.toContain('493017');
  });

  it('keeps the message and logs the failure when delivery fails, without throwing', async () => {
    const outbox = new MemoryOutbox();
    const log = new RecordingLog();
    const failing: MailTransport = { send: () => Promise.reject(new Error('relay said no')) };
    const mailer = new Mailer(outbox, failing, log, new FakeClock());
    await expect(mailer.send(CODE_MAIL)).resolves.toMatchObject({ to: 'jo@example.com' });
    await mailer.idle();
    expect(outbox.list()).toHaveLength(1);
    expect(log.lines.map((l) => l.msg)).toContain('mail delivery failed');
    expect(log.text()).toContain('relay said no');
    expect(log.text()).not.toContain('493017');
  });

  it('survives an SMTP server that refuses connections', async () => {
    const log = new RecordingLog();
    const mailer = new Mailer(
      new MemoryOutbox(),
      createSmtpTransport('smtp://127.0.0.1:1'),
      log,
      new FakeClock(),
    );
    await mailer.send(CODE_MAIL);
    await mailer.idle();
    expect(log.lines.map((l) => l.msg)).toContain('mail delivery failed');
  });
});

describe('SMTP delivery', () => {
  let server: SMTPServer | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('delivers the subject and body to a real SMTP server', async () => {
    const received: Array<{ from: string; to: string[]; raw: string }> = [];
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    const s = server;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    const { port } = s.server.address() as AddressInfo;

    const mailer = new Mailer(
      new MemoryOutbox(),
      createSmtpTransport(`smtp://127.0.0.1:${port}`),
      new RecordingLog(),
      new FakeClock(),
    );
    await mailer.send(CODE_MAIL);
    await mailer.idle();

    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['jo@example.com']);
    expect(received[0]?.from).toBe('no-reply@verificationemail.com');
    expect(received[0]?.raw).toContain('Subject: Your verification code');
    expect(received[0]?.raw).toContain('Your confirmation code is 493017');
  });

  it('refuses a transport URL that is not SMTP', () => {
    expect(() => createSmtpTransport('http://127.0.0.1:25')).toThrow(/smtp/);
    expect(() => createSmtpTransport('not a url')).toThrow(/valid URL/);
  });
});

describe('renderInboxHtml', () => {
  it('escapes every value so a hostile message cannot inject markup', () => {
    const outbox = new MemoryOutbox();
    outbox.append(
      {
        to: '"><script>alert(1)</script>@x.com',
        subject: '<img src=x onerror=alert(1)>',
        text: "code <b>1</b> & 'q'",
      },
      Date.UTC(2026, 0, 1),
    );
    const html = renderInboxHtml(outbox.list(), { to: '"><svg onload=alert(1)>' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('code &lt;b&gt;1&lt;/b&gt; &amp; &#39;q&#39;');
    expect(html).toContain('value="&quot;&gt;&lt;svg onload=alert(1)&gt;"');
  });

  it('shows messages newest first with a labelled recipient filter', () => {
    const outbox = new MemoryOutbox();
    outbox.append({ ...CODE_MAIL, subject: 'older' }, 1000);
    outbox.append({ ...CODE_MAIL, subject: 'newer' }, 2000);
    const html = renderInboxHtml(outbox.list());
    expect(html.indexOf('<h2>newer</h2>')).toBeGreaterThan(0);
    expect(html.indexOf('<h2>newer</h2>')).toBeLessThan(html.indexOf('<h2>older</h2>'));
    expect(html).toContain('<label for="to">');
    expect(renderInboxHtml([])).toContain('No messages.');
  });
});
