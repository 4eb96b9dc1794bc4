import { randomInt } from 'node:crypto';
import { InvalidPasswordException } from '../errors.js';
import type { PasswordPolicy } from './settings.js';

// Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space (not leading/trailing).
const SYMBOLS = `^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+- `;

/**
 * Throws InvalidPasswordException with Cognito's wording when the password breaks the pool's policy.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
 */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): void {
  const fail = (why: string) => {
    throw new InvalidPasswordException(`Password did not conform with policy: ${why}`);
  };
  if ([...password].length < policy.MinimumLength) fail('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c) && c !== ' ')) {
    fail('Password must have symbol characters');
  }
}

/** A temporary password that satisfies the policy (AdminCreateUser without TemporaryPassword). */
export function generateTemporaryPassword(policy: PasswordPolicy): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '^$*.!@#%&'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)] as string);
  while (chars.length < Math.max(12, policy.MinimumLength)) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
