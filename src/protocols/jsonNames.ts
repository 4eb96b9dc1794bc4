/**
 * restJson1 services whose JSON names differ from their member names (API Gateway v2: `name` on the wire, `Name` in
 * the model, via `locationName`). Bodies are renamed by the model, recursively: wire → members on the way in,
 * members → wire on the way out, where timestamps whose shape says `iso8601` become ISO strings.
 */
import type { ServiceModel } from './model.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);

/** Wire JSON → member names. Unknown keys are kept as they are (validation ignores them). */
export function wireToMembers(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape) return value;
  if (shape.type === 'structure' && isObject(value)) {
    const byWire = new Map(
      Object.entries(shape.members ?? {}).map(([m, ref]) => [ref.locationName ?? m, [m, ref.shape] as const]),
    );
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const hit = byWire.get(k);
      out[hit ? hit[0] : k] = hit ? wireToMembers(model, hit[1], v) : v;
    }
    return out;
  }
  if (shape.type === 'list' && Array.isArray(value))
    return value.map((v) => wireToMembers(model, shape.member?.shape, v));
  if (shape.type === 'map' && isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, wireToMembers(model, shape.value?.shape, v)]),
    );
  }
  return value;
}

/** Member names → wire JSON; `iso8601` timestamps as ISO strings (others stay Dates for toWireJson). */
export function membersToWire(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape) return value;
  if (shape.type === 'timestamp' && value instanceof Date && shape.timestampFormat === 'iso8601') {
    return value.toISOString();
  }
  if (shape.type === 'structure' && isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const ref = shape.members?.[k];
      if (v === undefined) continue;
      out[ref?.locationName ?? k] = ref ? membersToWire(model, ref.shape, v) : v;
    }
    return out;
  }
  if (shape.type === 'list' && Array.isArray(value))
    return value.map((v) => membersToWire(model, shape.member?.shape, v));
  if (shape.type === 'map' && isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, membersToWire(model, shape.value?.shape, v)]),
    );
  }
  return value;
}
