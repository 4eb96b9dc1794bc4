import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';

describe('compileFilterPattern', () => {
  it('matches everything with no pattern', () => {
    expect(compileFilterPattern(undefined)('anything')).toBe(true);
    expect(compileFilterPattern('  ')('anything')).toBe(true);
  });

  it('requires every term, case-sensitively, and a quoted phrase as a whole', () => {
    const m = compileFilterPattern('ERROR "timed out"');
    expect(m('ERROR Task timed out after 3.00 seconds')).toBe(true);
    expect(m('ERROR out timed')).toBe(false);
    expect(m('error Task timed out')).toBe(false);
  });

  it('takes ?terms as alternatives and -terms as exclusions', () => {
    const any = compileFilterPattern('?ERROR ?WARN');
    expect(any('WARN disk')).toBe(true);
    expect(any('INFO disk')).toBe(false);
    const none = compileFilterPattern('REPORT -timeout');
    expect(none('REPORT RequestId: 1')).toBe(true);
    expect(none('REPORT RequestId: 1 Status: timeout')).toBe(false);
  });

  it('refuses JSON and space-delimited patterns rather than matching nothing', () => {
    expect(() => compileFilterPattern('{ $.level = "error" }')).toThrow(/not|supported/);
    expect(() => compileFilterPattern('[ip, user]')).toThrow();
  });
});
