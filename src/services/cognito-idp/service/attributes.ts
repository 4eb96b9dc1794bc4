import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { PoolRecord } from '../../../store/index.js';
import { InvalidParameterException } from '../errors.js';
import { requiredAttributes, schemaAttributes } from './settings.js';

export type Attributes = Record<string, string>;

/** `[{Name, Value}]` → a record (later entries win, as in Cognito). */
export function fromWire(list: readonly AttributeType[] | undefined): Attributes {
  const out: Attributes = {};
  for (const a of list ?? []) if (a.Name !== undefined) out[a.Name] = a.Value ?? '';
  return out;
}

/** A record → `[{Name, Value}]`, sub first, as Cognito lists them. */
export function toWire(attrs: Attributes, only?: Set<string>): AttributeType[] {
  const names = Object.keys(attrs).filter((n) => !only || only.has(n) || n === 'sub');
  names.sort((a, b) => (a === 'sub' ? -1 : b === 'sub' ? 1 : 0));
  return names.map((Name) => ({ Name, Value: attrs[Name] as string }));
}

const schemaError = (why: string) =>
  new InvalidParameterException(`Attributes did not conform to the schema: ${why}`);

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/**
 * Checks names, types and formats of attributes a caller wants to write. `creating` also checks the pool's
 * required attributes. Throws InvalidParameterException in Cognito's wording.
 */
export function validateAttributes(
  pool: PoolRecord,
  attrs: Attributes,
  opts: { creating: boolean; existing?: Attributes },
): void {
  const schema = new Map(schemaAttributes(pool).map((a) => [a.Name, a]));
  for (const [name, value] of Object.entries(attrs)) {
    const def = schema.get(name);
    if (!def || name === 'identities')
      throw schemaError(`Type for attribute {${name}} could not be determined`);
    if (name === 'sub') throw new InvalidParameterException('Cannot modify an immutable attribute: sub');
    if (!opts.creating && !def.Mutable && opts.existing?.[name] !== undefined) {
      throw new InvalidParameterException(`Cannot modify an immutable attribute: ${name}`);
    }
    if (def.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') {
      throw schemaError(`${name}: Value is not a valid boolean`);
    }
    if (def.AttributeDataType === 'Number' && value !== '' && !Number.isFinite(Number(value))) {
      throw schemaError(`${name}: Value is not a valid number`);
    }
    const max = Number(def.StringAttributeConstraints?.MaxLength ?? 2048);
    const min = Number(def.StringAttributeConstraints?.MinLength ?? 0);
    if (def.AttributeDataType === 'String' && (value.length > max || value.length < min)) {
      throw schemaError(`${name}: String must be between ${min} and ${max} characters`);
    }
    if (name === 'email' && !EMAIL.test(value))
      throw new InvalidParameterException('Invalid email address format.');
    if (name === 'phone_number' && !PHONE.test(value))
      throw new InvalidParameterException('Invalid phone number format.');
  }
  if (opts.creating) {
    for (const name of requiredAttributes(pool)) {
      if (!attrs[name]) throw schemaError(`${name}: The attribute is required`);
    }
  }
}

/** Masks an address as Cognito shows it in CodeDeliveryDetails: `j***@e***`, `+*******1234`. */
export function maskDestination(attribute: 'email' | 'phone_number', value: string): string {
  if (attribute === 'email') {
    const [local = '', domain = ''] = value.split('@');
    return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
  }
  return `+${'*'.repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
}
