import { AwsError, type ErrorCodes } from './errors.js';
import type { ServiceModel, ShapeModel } from './model.js';

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
  blob: (v) => typeof v === 'string' || Buffer.isBuffer(v),
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  long: (v) => typeof v === 'number' && Number.isInteger(v),
  double: (v) => typeof v === 'number',
  float: (v) => typeof v === 'number',
  timestamp: (v) => typeof v === 'number' || typeof v === 'string' || v instanceof Date,
};

/**
 * Checks an operation's input against its shape in the service model, the way AWS's front end does, and returns it
 * with `null` members removed:
 * - a `null` structure member is treated as absent (AWS's JSON protocols read `null` as "not set"), so a required
 *   member that is `null` is "Member must not be null", and an optional one is simply not there;
 * - a `null` list item is a constraint failure ("Member must not be null"); a `null` map value is dropped, as AWS
 *   drops it: amazon-cognito-identity-js retries PASSWORD_VERIFIER with `ChallengeResponses.DEVICE_KEY: null` after
 *   "Device does not exist." (CognitoUser.authenticateUserInternal), and that retry signs in on AWS;
 * - a wrong type is `codes.serialization`; constraint failures (required, length, range, pattern, enum) are collected
 *   into one `codes.validation`, "N validation error(s) detected: ...". Sensitive values are never echoed;
 * - unknown members are ignored, as AWS ignores them;
 * - an operation without a model is refused, never let through unchecked.
 */
export function validateInput(
  model: ServiceModel,
  operation: string,
  input: unknown,
  codes: Pick<ErrorCodes, 'serialization' | 'validation' | 'unknownOperation'>,
): Record<string, unknown> {
  const op = model.operations[operation];
  if (!op) {
    throw new AwsError(
      codes.unknownOperation,
      `Operation ${operation} has no ${model.service} model and is refused`,
    );
  }
  if (!op.input) {
    if (typeOf(input) !== 'object') throw new AwsError(codes.serialization, 'Expected an object.');
    return {};
  }
  const problems: string[] = [];
  const clean = walk(model, codes, op.input, input, '', problems, false) as Record<string, unknown>;
  if (problems.length) {
    const n = problems.length;
    throw new AwsError(
      codes.validation,
      `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    );
  }
  return clean;
}

function walk(
  model: ServiceModel,
  codes: Pick<ErrorCodes, 'serialization'>,
  shapeName: string,
  value: unknown,
  path: string,
  problems: string[],
  sensitiveParent: boolean,
): unknown {
  const shape = model.shapes[shapeName];
  if (!shape) return value;
  const sensitive = sensitiveParent || shape.sensitive === true;
  if (shape.document) return value;
  if (!expected[shape.type](value)) {
    throw new AwsError(
      codes.serialization,
      `Unexpected ${typeOf(value)} value${path ? ` at '${path}'` : ''}: expected ${shape.type === 'structure' ? 'an object' : `a ${shape.type}`}.`,
    );
  }
  const show = (v: unknown) =>
    sensitive ? 'Value' : `Value '${typeof v === 'object' ? JSON.stringify(v) : String(v)}'`;
  const fail = (v: unknown, what: string) =>
    problems.push(`${show(v)} at '${path}' failed to satisfy constraint: Member must ${what}`);
  const notNull = (p: string) =>
    problems.push(`Value null at '${p}' failed to satisfy constraint: Member must not be null`);
  const sub = (name: string, v: unknown, p: string) => walk(model, codes, name, v, p, problems, sensitive);
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v;
      for (const req of shape.required ?? []) {
        if (out[req] === undefined) notNull(join(path, lowerFirst(req)));
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = out[name];
        if (v === undefined) continue;
        out[name] = sub(ref.shape, v, join(path, lowerFirst(name)));
      }
      return out;
    }
    case 'list': {
      const arr = value as unknown[];
      if (shape.min !== undefined && arr.length < shape.min)
        fail(value, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && arr.length > shape.max)
        fail(value, `have length less than or equal to ${shape.max}`);
      return arr.map((item, i) => {
        const p = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          notNull(p);
          return item;
        }
        return sub(shape.member?.shape ?? '', item, p);
      });
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        fail(value, `have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max)
        fail(value, `have length less than or equal to ${shape.max}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries) {
        sub(shape.key?.shape ?? '', k, path);
        if (v !== null && v !== undefined) out[k] = sub(shape.value?.shape ?? '', v, `${path}.${k}`);
      }
      return out;
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
      return s;
    }
    case 'integer':
    case 'long': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min)
        fail(n, `have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(n, `have value less than or equal to ${shape.max}`);
      return n;
    }
    default:
      return value;
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
