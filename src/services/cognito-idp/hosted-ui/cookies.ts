import { randomBytes } from 'node:crypto';

/** Cognito's own names: the session cookie `cognito` and the CSRF cookie `XSRF-TOKEN` (reference §3b). */
export const SESSION_COOKIE = 'cognito';
export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_FIELD = '_csrf';

/**
 * Reads the cookies this server sets from a Cookie header (RFC 6265 §5.4 `name=value; name=value`). Only our own
 * names are looked at, and only values made of the base64url characters we issue are accepted, so nothing a browser
 * sends can smuggle anything else through. (A cookie library would be a new dependency; this is the whole need.)
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{16,128}$/.test(value)) return value;
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on https. `maxAgeSec` 0 deletes it. */
export function cookie(name: string, value: string, maxAgeSec: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSec}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export const randomToken = (): string => randomBytes(32).toString('base64url');
