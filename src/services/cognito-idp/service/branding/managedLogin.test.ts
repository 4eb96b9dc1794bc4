import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, managedLoginCss, mergeSettings } from './managedLogin.js';

describe('managed login settings on the pages', () => {
  it('turns the shown colours of the chosen mode into rules over the pages’ classes', () => {
    const css = managedLoginCss(
      {
        categories: { global: { colorSchemeMode: 'DARK' } },
        components: {
          pageBackground: { lightMode: { color: 'ffffffff' }, darkMode: { color: '000000ff' } },
          primaryButton: { darkMode: { defaults: { backgroundColor: '2E7D32FF' } } },
        },
      },
      undefined,
    );
    expect(css).toBe(
      ':root{--bg:#000000ff}.submitButton-customizable{background-color:#2e7d32ff;border-color:#2e7d32ff}',
    );
  });

  it('puts the dark values under prefers-color-scheme for DYNAMIC, and the background image when enabled', () => {
    const css = managedLoginCss(
      {
        categories: { global: { colorSchemeMode: 'DYNAMIC' } },
        components: { pageBackground: { lightMode: { color: 'ffffffff' }, darkMode: { color: '000000ff' } } },
      },
      'http://127.0.0.1:1/branding/p/s/PAGE_BACKGROUND-LIGHT',
    );
    expect(css).toContain('url("http://127.0.0.1:1/branding/p/s/PAGE_BACKGROUND-LIGHT")');
    expect(css).toContain(':root{--bg:#ffffffff}@media (prefers-color-scheme:dark){:root{--bg:#000000ff}}');
  });

  it('shows nothing of a value that is not an RRGGBBAA colour or a sane radius', () => {
    const css = managedLoginCss(
      {
        components: {
          pageBackground: { lightMode: { color: 'red;}body{display:none' } },
          form: { borderRadius: '4px;x' },
        },
      },
      undefined,
    );
    expect(css).toBe('');
  });

  it('merges objects deeply and replaces scalars and lists whole', () => {
    expect(mergeSettings({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
    expect(mergeSettings(DEFAULT_SETTINGS, undefined)).toBe(DEFAULT_SETTINGS);
  });
});
