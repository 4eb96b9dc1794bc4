/**
 * Client-side helpers for a running local cloud that need no test runner (the benchmarks use them too): the
 * SECRET_HASH a client with a secret sends, and the newest code in the local inbox.
 */
import { createHmac } from 'node:crypto';

/** SECRET_HASH = Base64(HMAC_SHA256(clientSecret, username + clientId)). */
export function secretHash(username: string, clientId: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

/** Reads the newest message to an address from the local inbox and returns its 6-digit code. */
export async function latestCode(inboxUrl: string, to: string): Promise<string> {
  const res = await fetch(`${inboxUrl}?to=${encodeURIComponent(to)}`);
  const mails = (await res.json()) as { text: string }[];
  const code = /\b(\d{6})\b/.exec(mails[0]?.text ?? '')?.[1];
  if (!code) throw new Error(`no code in the inbox of ${to}`);
  return code;
}
