/**
 * Managed login branding: the part of a style's Settings document a local page can show, turned into CSS over the
 * Hosted UI's own classes, and Cognito's defaults for ReturnMergedResources.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingeditor.html
 */
import type { BrandingAssetRecord } from '../../../../store/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => obj(o)[k], v);

/** A managed login colour: 8 hex digits, RRGGBBAA. Anything else is not shown. */
const colour = (v: unknown): string | undefined =>
  typeof v === 'string' && /^[0-9a-fA-F]{8}$/.test(v) ? `#${v.toLowerCase()}` : undefined;
const radius = (v: unknown): string | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 64 ? `${v}px` : undefined;

/**
 * The settings the local pages show, by where they sit in the Settings document. Every other setting is stored and
 * read back but has no effect on the pages (the README lists both).
 */
export const SHOWN_SETTINGS = [
  'categories.global.colorSchemeMode',
  'components.pageBackground.{lightMode,darkMode}.color',
  'components.pageBackground.image.enabled (with a PAGE_BACKGROUND asset)',
  'components.form.{lightMode,darkMode}.{backgroundColor,borderColor}',
  'components.form.borderRadius',
  'components.form.logo.enabled (with a FORM_LOGO asset)',
  'components.primaryButton.{lightMode,darkMode}.{defaults,hover}.{backgroundColor,textColor}',
  'components.pageText.{lightMode,darkMode}.{headingColor,bodyColor,descriptionColor}',
  'componentClasses.buttons.borderRadius',
  'componentClasses.input.borderRadius',
  'componentClasses.input.{lightMode,darkMode}.defaults.{backgroundColor,borderColor}',
  'componentClasses.inputLabel.{lightMode,darkMode}.textColor',
  'componentClasses.link.{lightMode,darkMode}.defaults.textColor',
  'componentClasses.focusState.{lightMode,darkMode}.borderColor',
] as const;

type Mode = 'lightMode' | 'darkMode';

function rule(selector: string, decls: Record<string, string | undefined>): string {
  const body = Object.entries(decls)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
  return body ? `${selector}{${body}}` : '';
}

/** The colours of one mode, as rules over the pages' classes. */
function modeCss(s: unknown, m: Mode): string {
  const c = (...path: string[]) => colour(at(s, ...path));
  return [
    rule(':root', {
      '--bg': c('components', 'pageBackground', m, 'color'),
      '--card': c('components', 'form', m, 'backgroundColor'),
      '--line': c('components', 'form', m, 'borderColor'),
      '--text': c('components', 'pageText', m, 'bodyColor'),
      '--muted': c('components', 'pageText', m, 'descriptionColor'),
    }),
    rule('h1', { color: c('components', 'pageText', m, 'headingColor') }),
    rule('.submitButton-customizable', {
      'background-color': c('components', 'primaryButton', m, 'defaults', 'backgroundColor'),
      'border-color': c('components', 'primaryButton', m, 'defaults', 'backgroundColor'),
      color: c('components', 'primaryButton', m, 'defaults', 'textColor'),
    }),
    rule('.submitButton-customizable:hover', {
      'background-color': c('components', 'primaryButton', m, 'hover', 'backgroundColor'),
      color: c('components', 'primaryButton', m, 'hover', 'textColor'),
    }),
    rule('.inputField-customizable', {
      'background-color': c('componentClasses', 'input', m, 'defaults', 'backgroundColor'),
      'border-color': c('componentClasses', 'input', m, 'defaults', 'borderColor'),
    }),
    rule('.inputField-customizable:focus', {
      'border-color': c('componentClasses', 'focusState', m, 'borderColor'),
      'outline-color': c('componentClasses', 'focusState', m, 'borderColor'),
    }),
    rule('.label-customizable', { color: c('componentClasses', 'inputLabel', m, 'textColor') }),
    rule('a', { color: c('componentClasses', 'link', m, 'defaults', 'textColor') }),
  ].join('');
}

/** The asset of a category for a colour mode: that mode's, else the browser-adaptive (DYNAMIC) one. */
export function assetFor(
  assets: readonly BrandingAssetRecord[],
  category: string,
  mode: 'LIGHT' | 'DARK',
): BrandingAssetRecord | undefined {
  const of = (cm: string) => assets.find((a) => a.category === category && a.colorMode === cm && a.bytes);
  return of(mode) ?? of('DYNAMIC');
}

/** The colour scheme a style asks for (LIGHT when unset). */
export const schemeOf = (settings: unknown): 'LIGHT' | 'DARK' | 'DYNAMIC' => {
  const v = at(settings, 'categories', 'global', 'colorSchemeMode');
  return v === 'DARK' || v === 'DYNAMIC' ? v : 'LIGHT';
};

/**
 * The CSS of a managed login style's shown settings. `backgroundUrl` is the PAGE_BACKGROUND asset's local URL when
 * the style has one and shows it. Colours are RRGGBBAA hex only, URLs are ours: nothing from the document is copied
 * into the CSS as text.
 */
export function managedLoginCss(settings: unknown, backgroundUrl: string | undefined): string {
  const scheme = schemeOf(settings);
  const shapes = [
    rule('main', { 'border-radius': radius(at(settings, 'components', 'form', 'borderRadius')) }),
    rule('button', { 'border-radius': radius(at(settings, 'componentClasses', 'buttons', 'borderRadius')) }),
    rule('input', { 'border-radius': radius(at(settings, 'componentClasses', 'input', 'borderRadius')) }),
    backgroundUrl && at(settings, 'components', 'pageBackground', 'image', 'enabled') !== false
      ? rule('body', {
          'background-image': `url("${backgroundUrl}")`,
          'background-size': 'cover',
          'background-position': 'center',
        })
      : '',
  ].join('');
  if (scheme === 'DYNAMIC') {
    const dark = modeCss(settings, 'darkMode');
    return `${shapes}${modeCss(settings, 'lightMode')}${dark ? `@media (prefers-color-scheme:dark){${dark}}` : ''}`;
  }
  return shapes + modeCss(settings, scheme === 'DARK' ? 'darkMode' : 'lightMode');
}

/** Deep merge of JSON objects: `over` wins, arrays and scalars are replaced whole. */
export function mergeSettings(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(over) || !isObj(base)) return over;
  const b = base as Json;
  const out: Json = { ...b };
  for (const [k, v] of Object.entries(over as Json)) out[k] = mergeSettings(b[k], v);
  return out;
}

const mode = (light: Json, dark: Json) => ({ lightMode: light, darkMode: dark });

/**
 * Cognito's default style, for ReturnMergedResources and UseCognitoProvidedValues: the settings the pages show and
 * the categories around them, from a style the console creates [abridged; values from public examples].
 */
export const DEFAULT_SETTINGS: Json = {
  categories: {
    auth: { federation: { interfaceStyle: 'BUTTON_LIST', order: [] } },
    form: {
      displayGraphics: true,
      instructions: { enabled: false },
      languageSelector: { enabled: false },
      location: { horizontal: 'CENTER', vertical: 'CENTER' },
      sessionTimerDisplay: 'NONE',
    },
    global: {
      colorSchemeMode: 'LIGHT',
      pageFooter: { enabled: false },
      pageHeader: { enabled: false },
      spacingDensity: 'REGULAR',
    },
  },
  componentClasses: {
    buttons: { borderRadius: 8 },
    focusState: mode({ borderColor: '0972d3ff' }, { borderColor: '539fe5ff' }),
    input: {
      borderRadius: 8,
      ...mode(
        { defaults: { backgroundColor: 'ffffffff', borderColor: '7d8998ff' }, placeholderColor: '5f6b7aff' },
        { defaults: { backgroundColor: '0f1b2aff', borderColor: '5f6b7aff' }, placeholderColor: '8d99a8ff' },
      ),
    },
    inputLabel: mode({ textColor: '000716ff' }, { textColor: 'd1d5dbff' }),
    link: mode(
      { defaults: { textColor: '0972d3ff' }, hover: { textColor: '033160ff' } },
      { defaults: { textColor: '539fe5ff' }, hover: { textColor: '89bdeeff' } },
    ),
  },
  components: {
    form: {
      backgroundImage: { enabled: false },
      borderRadius: 8,
      logo: { enabled: false, formInclusion: 'IN', location: 'CENTER', position: 'TOP' },
      ...mode(
        { backgroundColor: 'ffffffff', borderColor: 'c6c6cdff' },
        { backgroundColor: '0f1b2aff', borderColor: '424650ff' },
      ),
    },
    pageBackground: { image: { enabled: true }, ...mode({ color: 'ffffffff' }, { color: '0f1b2aff' }) },
    pageText: mode(
      { bodyColor: '414d5cff', descriptionColor: '414d5cff', headingColor: '000716ff' },
      { bodyColor: 'b6bec9ff', descriptionColor: 'b6bec9ff', headingColor: 'd1d5dbff' },
    ),
    primaryButton: mode(
      {
        defaults: { backgroundColor: '0972d3ff', textColor: 'ffffffff' },
        hover: { backgroundColor: '033160ff', textColor: 'ffffffff' },
      },
      {
        defaults: { backgroundColor: '539fe5ff', textColor: '000716ff' },
        hover: { backgroundColor: '89bdeeff', textColor: '000716ff' },
      },
    ),
  },
};
