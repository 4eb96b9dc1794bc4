import type { PoolRecord, UserRecord } from '../../../store/index.js';
import {
  autoVerifiedAttributes,
  passwordPolicy,
  requiredAttributes,
  usernameAttributes,
} from '../service/settings.js';
import type { Field } from './render.js';

/**
 * The form fields the Hosted UI pages share, shaped by the pool's settings: how users sign in, which attributes it
 * requires and verifies, and its password policy.
 */

const ATTRIBUTE_LABELS: Record<string, string> = {
  email: 'Email',
  phone_number: 'Phone number',
  name: 'Full name',
  given_name: 'Given name',
  family_name: 'Family name',
  middle_name: 'Middle name',
  nickname: 'Nickname',
  preferred_username: 'Preferred username',
  birthdate: 'Birth date',
  address: 'Address',
  gender: 'Gender',
  locale: 'Locale',
  zoneinfo: 'Time zone',
  website: 'Website',
  profile: 'Profile URL',
  picture: 'Picture URL',
};

const ATTRIBUTE_AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  phone_number: 'tel',
  name: 'name',
  given_name: 'given-name',
  family_name: 'family-name',
  middle_name: 'additional-name',
  nickname: 'nickname',
  birthdate: 'bday',
  address: 'street-address',
  gender: 'sex',
  website: 'url',
};

/** An attribute's label on the forms: `Full name` for `name`, the attribute's own name when it has none. */
export const attributeLabel = (attribute: string): string => ATTRIBUTE_LABELS[attribute] ?? attribute;

/** The input for a user attribute; `phoneHint` adds the international-format hint to `phone_number`. */
export function attributeField(attribute: string, value: string | undefined, phoneHint = false): Field {
  const autocomplete = ATTRIBUTE_AUTOCOMPLETE[attribute];
  return {
    name: attribute,
    label: attributeLabel(attribute),
    type: attribute === 'email' ? 'email' : attribute === 'phone_number' ? 'tel' : 'text',
    ...(autocomplete ? { autocomplete } : {}),
    ...(phoneHint && attribute === 'phone_number'
      ? { hint: 'In international format, e.g. +15555550100.' }
      : {}),
    ...(value !== undefined ? { value } : {}),
    maxlength: 2048,
  };
}

/** The username field as the pool signs in: email, phone number, either, or a plain username. */
export function usernameField(pool: PoolRecord, value: string | undefined, autocomplete = 'username'): Field {
  const ua = usernameAttributes(pool);
  const base = {
    name: 'username',
    autocomplete,
    maxlength: 128,
    ...(value !== undefined ? { value } : {}),
  };
  if (ua.includes('email') && ua.includes('phone_number')) {
    return {
      ...base,
      label: 'Email or phone number',
      type: 'text',
      hint: 'Phone numbers start with +, e.g. +15555550100.',
    };
  }
  if (ua.includes('email')) return { ...base, label: 'Email', type: 'email', inputmode: 'email' };
  if (ua.includes('phone_number')) {
    return {
      ...base,
      label: 'Phone number',
      type: 'tel',
      inputmode: 'tel',
      hint: 'In international format, e.g. +15555550100.',
    };
  }
  return { ...base, label: 'Username', type: 'text' };
}

/** The username as a hidden field, when the page's query already names it (confirm pages). */
export const hiddenUsernameField = (username: string): Field => ({
  name: 'username',
  label: 'Username',
  type: 'hidden',
  value: username,
});

/** The 6-digit verification code sent by email or text message. */
export const codeField: Field = {
  name: 'code',
  label: 'Verification code',
  type: 'text',
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  pattern: '[0-9]{6}',
  maxlength: 6,
  hint: 'The 6-digit code we sent you.',
};

/** The pool's password policy in words: `At least 8 characters, with a lowercase letter and a number.` */
export function passwordHint(pool: PoolRecord): string {
  const p = passwordPolicy(pool);
  const parts: string[] = [];
  if (p.RequireLowercase) parts.push('a lowercase letter');
  if (p.RequireUppercase) parts.push('an uppercase letter');
  if (p.RequireNumbers) parts.push('a number');
  if (p.RequireSymbols) parts.push('a symbol');
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
  return `At least ${p.MinimumLength} characters${list ? `, with ${list}` : ''}.`;
}

/** A password field: the current one (sign-in) or a new one, with the pool's policy as its hint. */
export function passwordField(pool: PoolRecord, kind: 'current' | 'new', label: string): Field {
  if (kind === 'current') {
    return { name: 'password', label, type: 'password', autocomplete: 'current-password', maxlength: 256 };
  }
  return {
    name: 'password',
    label,
    type: 'password',
    autocomplete: 'new-password',
    maxlength: 256,
    hint: passwordHint(pool),
  };
}

/** The attributes the sign-up form asks for: the pool's required ones and the contact it verifies. */
export function signUpAttributes(pool: PoolRecord): string[] {
  const ua = usernameAttributes(pool);
  const out: string[] = [];
  for (const a of [...requiredAttributes(pool), ...autoVerifiedAttributes(pool)]) {
    if (!ua.includes(a) && !out.includes(a)) out.push(a);
  }
  return out;
}

/** The pool's required attributes the user has no value for (asked when a temporary password is replaced). */
export const missingRequired = (pool: PoolRecord, user: UserRecord | undefined): string[] =>
  requiredAttributes(pool).filter((a) => !user?.attributes[a]);
