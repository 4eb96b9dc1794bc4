import type * as Fxp from 'fast-xml-parser';
import { lazyRequire } from '../shared/lazy.js';
import type { ServiceModel } from './model.js';

const fxp = lazyRequire<typeof Fxp>('fast-xml-parser');

const parserOptions = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: true,
} as const;

/** Built with the first XML request or response: a local cloud that only serves JSON APIs never loads the library. */
let xml:
  | {
      builder: Fxp.XMLBuilder;
      parser: Fxp.XMLParser;
      exactParser: Fxp.XMLParser;
      validator: typeof Fxp.XMLValidator;
    }
  | undefined;
function lib(): NonNullable<typeof xml> {
  if (xml) return xml;
  const { XMLBuilder, XMLParser, XMLValidator } = fxp();
  xml = {
    builder: new XMLBuilder({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      suppressEmptyNode: false,
      processEntities: true,
    }),
    parser: new XMLParser({ ...parserOptions, trimValues: true }),
    /** Keeps text exactly as sent (S3 keys may begin or end with spaces). */
    exactParser: new XMLParser({ ...parserOptions, trimValues: false }),
    validator: XMLValidator,
  };
  return xml;
}

/** An XML document (declaration included) from a tree: `{ Root: { '@_xmlns': ns, Child: 'x', List: [a, b] } }`. */
export function buildXml(tree: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${lib().builder.build(tree) as string}`;
}

/**
 * Parses an XML body into plain objects (attributes and namespaces dropped, values as strings). Throws on bad XML.
 * `exact` keeps leading and trailing whitespace of text values.
 */
export function parseXml(text: string, exact = false): Record<string, unknown> {
  if (!text.trim().startsWith('<')) throw new Error('not XML');
  const { validator, parser, exactParser } = lib();
  if (validator.validate(text) !== true) throw new Error('not XML');
  const out = (exact ? exactParser : parser).parse(text) as Record<string, unknown>;
  if (!out || typeof out !== 'object') throw new Error('not XML');
  return out;
}

/** A timestamp as AWS's XML protocols send it: ISO 8601 with milliseconds, UTC. */
export const isoTimestamp = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : typeof v === 'number' ? new Date(v * 1000).toISOString() : String(v);

/**
 * A value as an XML tree, following the output shape: lists as `<member>` items (or repeated when flattened), maps as
 * `<entry><key/><value/></entry>`, timestamps ISO 8601, blobs base64, booleans `true`/`false`. Members the model
 * does not know are left out.
 */
export function toXmlTree(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null) return undefined;
  if (!shape) return String(value);
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = obj[name];
        if (v === undefined || v === null) continue;
        const tag = ref.locationName ?? name;
        const memberShape = model.shapes[ref.shape];
        if (memberShape?.type === 'list' && (ref.flattened || memberShape.flattened)) {
          out[tag] = (v as unknown[]).map((item) => toXmlTree(model, memberShape.member?.shape ?? '', item));
        } else {
          out[tag] = toXmlTree(model, ref.shape, v);
        }
      }
      return out;
    }
    case 'list': {
      const items = (value as unknown[]).map((item) => toXmlTree(model, shape.member?.shape ?? '', item));
      return items.length ? { [shape.member?.locationName ?? 'member']: items } : '';
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => ({
        [shape.key?.locationName ?? 'key']: k,
        [shape.value?.locationName ?? 'value']: toXmlTree(model, shape.value?.shape ?? '', v),
      }));
      return entries.length ? { entry: entries } : '';
    }
    case 'timestamp':
      return isoTimestamp(value);
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}
