import type * as CssTree from 'css-tree';
import { lazyRequire } from '../../../../shared/lazy.js';
import { InvalidParameterException } from '../../errors.js';

/** css-tree and its CSS grammar are several MB of heap; loaded when a pool first gets custom CSS. */
const csstree = lazyRequire<typeof CssTree>('css-tree');

/**
 * The classes (with the pseudo-classes Cognito names) that classic Hosted UI CSS may style, and the properties each
 * may set, as the developer guide lists them. `redirect-customizable` has no documented properties; we allow colour
 * and font size there [unverified].
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/hosted-ui-classic-branding.html
 */
export const CUSTOMIZABLE: Readonly<Record<string, readonly string[]>> = {
  'background-customizable': ['background-color'],
  'banner-customizable': ['padding', 'background-color'],
  'errorMessage-customizable': [
    'margin',
    'padding',
    'font-size',
    'width',
    'background',
    'border',
    'color',
    'box-sizing',
  ],
  'idpButton-customizable': [
    'height',
    'width',
    'text-align',
    'margin-bottom',
    'color',
    'background-color',
    'border-color',
  ],
  'idpButton-customizable:hover': ['color', 'background-color'],
  'idpDescription-customizable': ['padding-top', 'padding-bottom', 'display', 'font-size'],
  'inputField-customizable': ['width', 'height', 'color', 'background-color', 'border'],
  'inputField-customizable:focus': ['border-color', 'outline'],
  'label-customizable': ['font-weight'],
  'legalText-customizable': ['color', 'font-size'],
  'logo-customizable': ['max-width', 'max-height'],
  'passwordCheck-notValid-customizable': ['color'],
  'passwordCheck-valid-customizable': ['color'],
  'redirect-customizable': ['color', 'font-size'],
  'socialButton-customizable': ['height', 'text-align', 'width', 'margin-bottom'],
  'submitButton-customizable': [
    'font-size',
    'font-weight',
    'margin',
    'width',
    'height',
    'color',
    'background-color',
  ],
  'submitButton-customizable:hover': ['color', 'background-color'],
  'textDescription-customizable': ['padding-top', 'padding-bottom', 'display', 'font-size'],
};

/** Cognito's console and API refuse CSS over 3 KB of the 135 KB request [the developer guide's advice]. */
export const MAX_CSS_BYTES = 3 * 1024;

const refuse = (why: string): never => {
  throw new InvalidParameterException(`Invalid CSS: ${why}`);
};

/** `.name` or `.name:pseudo` from one selector, or undefined when it is anything else. */
function selectorKey(sel: CssTree.CssNode): string | undefined {
  if (sel.type !== 'Selector') return undefined;
  const parts = sel.children.toArray();
  const [cls, pseudo, ...rest] = parts;
  if (cls?.type !== 'ClassSelector' || rest.length) return undefined;
  if (pseudo === undefined) return cls.name;
  if (pseudo.type !== 'PseudoClassSelector' || pseudo.children) return undefined;
  return `${cls.name}:${pseudo.name}`;
}

/**
 * Checks classic Hosted UI CSS with css-tree (the CSS grammar, not patterns): only rules whose selectors are the
 * customizable classes, only the properties each class allows, only values that match the property's CSS syntax,
 * no at-rules (`@import`, `@media`, ...) and no `url()`. Returns the stylesheet as css-tree writes it back from the
 * checked tree: what the pages embed. Anything else is Cognito's InvalidParameterException (its wording is ours
 * [unverified]).
 */
export function checkUiCss(css: string): string {
  if (Buffer.byteLength(css) > MAX_CSS_BYTES) refuse(`the CSS is larger than ${MAX_CSS_BYTES} bytes.`);
  const parseErrors: string[] = [];
  const ast = csstree().parse(css, {
    positions: true,
    onParseError: (e) => parseErrors.push(e.message),
  });
  if (parseErrors.length) refuse(`the CSS could not be parsed (${parseErrors[0]}).`);
  if (ast.type !== 'StyleSheet') refuse('expected a stylesheet.');
  for (const node of (ast as CssTree.StyleSheet).children) {
    if (node.type === 'Comment') continue;
    if (node.type === 'Atrule') refuse(`@${node.name} is not allowed.`);
    if (node.type !== 'Rule') refuse('the CSS could not be parsed.');
    checkRule(node as CssTree.Rule);
  }
  const out = csstree().generate(ast);
  // The checked values hold no strings, so this cannot happen; kept because the output goes into a <style> element.
  if (out.includes('<')) refuse('"<" is not allowed.');
  return out;
}

function checkRule(rule: CssTree.Rule): void {
  if (rule.prelude.type !== 'SelectorList') refuse('the CSS could not be parsed.');
  const keys: string[] = [];
  for (const sel of (rule.prelude as CssTree.SelectorList).children) {
    const key = selectorKey(sel);
    if (key === undefined || CUSTOMIZABLE[key] === undefined) {
      refuse(`${csstree().generate(sel)} is not a customizable class.`);
    }
    keys.push(key as string);
  }
  for (const decl of rule.block.children) {
    if (decl.type !== 'Declaration') refuse('the CSS could not be parsed.');
    const d = decl as CssTree.Declaration;
    const property = d.property.toLowerCase();
    for (const key of keys) {
      if (!CUSTOMIZABLE[key]?.includes(property)) refuse(`${property} cannot be set on .${key}.`);
    }
    let hasUrl = false;
    csstree().walk(d.value, (n) => {
      if (n.type === 'Url' || (n.type === 'Function' && n.name.toLowerCase() === 'url')) hasUrl = true;
    });
    if (hasUrl) refuse(`url() is not allowed (${property}).`);
    const match = csstree().lexer.matchProperty(property, d.value);
    if (d.value.type === 'Raw' || match.error) {
      refuse(`${csstree().generate(d.value)} is not a valid value for ${property}.`);
    }
  }
}
