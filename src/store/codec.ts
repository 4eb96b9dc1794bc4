/**
 * The JSON form of a whole record, for stores that keep records as written (./records.ts). Plain JSON plus the
 * few non-JSON values the services' in-memory models hold: `Date`, `Map`, `Set` and byte arrays come back as
 * themselves, and `undefined` members stay absent. A member the encoder does not know (a function, a class
 * instance) is refused at write time, so nothing is silently lost.
 *
 * Type markers are one-key objects (`{"$date": "…"}`, `{"$map": [[k, v], …]}`, `{"$set": […]}`,
 * `{"$bytes": "base64"}`). A record's own key that starts with `$` is escaped with one more `$`, so data can never be
 * read back as a marker.
 */

/** Why a value cannot be stored as a record (a programming error, not bad input). */
export class RecordCodecError extends Error {
  override name = 'RecordCodecError';
}

const MARKERS = new Set(['$date', '$map', '$set', '$bytes']);

function encodeValue(v: unknown, path: string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RecordCodecError(`${path}: ${v} has no JSON form`);
    return v;
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new RecordCodecError(`${path}: invalid Date`);
    return { $date: v.toISOString() };
  }
  if (v instanceof Map) {
    return {
      $map: [...v].map(([k, x], i) => [
        encodeValue(k, `${path}<key ${i}>`),
        encodeValue(x, `${path}.get(${String(k)})`),
      ]),
    };
  }
  if (v instanceof Set) return { $set: [...v].map((x, i) => encodeValue(x, `${path}{${i}}`)) };
  if (v instanceof Uint8Array)
    return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map((x, i) => (x === undefined ? null : encodeValue(x, `${path}[${i}]`)));
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new RecordCodecError(
        `${path}: a ${proto?.constructor?.name ?? 'class'} instance has no record form`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      out[k.startsWith('$') ? `$${k}` : k] = encodeValue(x, `${path}.${k}`);
    }
    return out;
  }
  throw new RecordCodecError(`${path}: a ${typeof v} has no record form`);
}

function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const entries = Object.entries(v);
  if (entries.length === 1) {
    const [k, x] = entries[0] as [string, unknown];
    if (MARKERS.has(k)) {
      if (k === '$date') return new Date(x as string);
      if (k === '$map')
        return new Map((x as [unknown, unknown][]).map(([a, b]) => [decodeValue(a), decodeValue(b)]));
      if (k === '$set') return new Set((x as unknown[]).map(decodeValue));
      return new Uint8Array(Buffer.from(x as string, 'base64'));
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) out[k.startsWith('$') ? k.slice(1) : k] = decodeValue(x);
  return out;
}

/** A record's stored text. Throws {@link RecordCodecError} for a value with no record form. */
export function encodeRecord(value: unknown): string {
  return JSON.stringify(encodeValue(value, 'record'));
}

/** The value {@link encodeRecord} was given (Dates, Maps, Sets and byte arrays included). */
export function decodeRecord(text: string): unknown {
  return decodeValue(JSON.parse(text));
}
