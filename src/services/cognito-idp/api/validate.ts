import { InvalidParameterException, SerializationException } from '../errors.js';
import { operationInputs, shapes } from './model/shapes.js';
import type { ShapeModel } from './model/types.js';

const patternCache = new Map<string, RegExp | null>();

/** Java-style model patterns as full-match JS regexes (`u` for \p{..} classes); patterns JS cannot read are skipped. */
function compile(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re !== undefined) return re;
  re = null;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      // try the next flavour
    }
  }
  patternCache.set(pattern, re);
  return re;
}

/** AWS names members in validation messages in lowerCamelCase: `UserPoolId` → `userPoolId`. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const expected: Record<ShapeModel['type'], (v: unknown) => boolean> = {
  structure: (v) => typeOf(v) === 'object',
  map: (v) => typeOf(v) === 'object',
  list: (v) => Array.isArray(v),
  string: (v) => typeof v === 'string',
  blob: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  long: (v) => typeof v === 'number' && Number.isInteger(v),
  double: (v) => typeof v === 'number',
  float: (v) => typeof v === 'number',
  timestamp: (v) => typeof v === 'number' || typeof v === 'string',
};

/**
 * Checks a request body against the operation's input shape from the botocore model, the way AWS's front end does:
 * wrong JSON types are a SerializationException; constraint failures (required, length, range, pattern, enum) are
 * collected into one InvalidParameterException, "N validation error(s) detected: ...". Sensitive values are never
 * echoed. Unknown members are ignored, as AWS ignores them.
 */
export function validateInput(operation: string, body: unknown): void {
  const root = operationInputs[operation];
  if (!root) return;
  const problems: string[] = [];
  walk(root, body, '', problems, false);
  if (problems.length) {
    const n = problems.length;
    throw new InvalidParameterException(
      `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    );
  }
}

function walk(
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
  sensitiveParent: boolean,
): void {
  const shape = shapes[shapeName];
  if (!shape) return;
  const sensitive = sensitiveParent || shape.sensitive === true;
  if (!expected[shape.type](value)) {
    throw new SerializationException(
      `Unexpected ${typeOf(value)} value${path ? ` at '${path}'` : ''}: expected ${shape.type === 'structure' ? 'an object' : `a ${shape.type}`}.`,
    );
  }
  const show = (v: unknown) =>
    sensitive ? 'Value' : `Value '${typeof v === 'object' ? JSON.stringify(v) : String(v)}'`;
  const fail = (v: unknown, what: string) =>
    problems.push(`${show(v)} at '${path}' failed to satisfy constraint: Member must ${what}`);
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (obj[req] === undefined || obj[req] === null) {
          problems.push(
            `Value null at '${join(path, lowerFirst(req))}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
      for (const [name, memberShape] of Object.entries(shape.members ?? {})) {
        const v = obj[name];
        if (v === undefined || v === null) continue;
        walk(memberShape, v, join(path, lowerFirst(name)), problems, sensitive);
      }
      return;
    }
    case 'list': {
      const arr = value as unknown[];
      if (shape.min !== undefined && arr.length < shape.min)
        fail(value, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && arr.length > shape.max)
        fail(value, `have length less than or equal to ${shape.max}`);
      arr.forEach((item, i) => {
        if (item !== null && item !== undefined)
          walk(shape.member ?? '', item, `${path}.${i + 1}.member`, problems, sensitive);
      });
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        fail(value, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max)
        fail(value, `have length less than or equal to ${shape.max}`);
      for (const [k, v] of entries) {
        walk(shape.key ?? '', k, path, problems, sensitive);
        if (v !== null && v !== undefined) walk(shape.value ?? '', v, `${path}.${k}`, problems, sensitive);
      }
      return;
    }
    case 'string': {
      const s = value as string;
      const len = [...s].length;
      if (shape.min !== undefined && len < shape.min)
        fail(s, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && len > shape.max)
        fail(s, `have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(s))
        fail(s, `satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern) {
        const re = compile(shape.pattern);
        if (re && !re.test(s)) fail(s, `satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min)
        fail(n, `have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(n, `have value less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
