import type { OutboxEntry } from './types.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * The people's view of the local inbox: a plain, responsive page listing messages newest first. Every value is
 * escaped; message bodies are shown as text, never as HTML, so a hostile attribute cannot run script here.
 */
export function renderInboxHtml(entries: readonly OutboxEntry[], filter?: { to?: string }): string {
  const to = filter?.to ?? '';
  const items = entries
    .map(
      (e) => `    <li class="mail">
      <h2>${escapeHtml(e.subject)}</h2>
      <p class="meta">To <strong>${escapeHtml(e.to)}</strong> · <time datetime="${escapeHtml(e.sentAt)}">${escapeHtml(e.sentAt)}</time></p>
      <pre>${escapeHtml(e.text)}</pre>
    </li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Gatehouse inbox</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; color: #1b1b1b; }
    form { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: 1rem; }
    input { flex: 1 1 16rem; padding: .5rem; font: inherit; }
    button { padding: .5rem 1rem; font: inherit; }
    ol { list-style: none; padding: 0; }
    .mail { border: 1px solid #ccc; border-radius: .5rem; padding: 0 1rem; margin-bottom: 1rem; }
    .meta { color: #555; margin: 0; }
    pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .75rem; }
    :focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
  </style>
</head>
<body>
  <main>
    <h1>Inbox</h1>
    <form method="get">
      <label for="to">Recipient</label>
      <input id="to" name="to" type="email" value="${escapeHtml(to)}" placeholder="someone@example.com">
      <button type="submit">Show</button>
    </form>
${entries.length === 0 ? '    <p>No messages.</p>' : `    <ol>\n${items}\n    </ol>`}
  </main>
</body>
</html>
`;
}
