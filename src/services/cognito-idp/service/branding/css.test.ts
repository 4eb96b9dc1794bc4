import { describe, expect, it } from 'vitest';
import { CUSTOMIZABLE, checkUiCss } from './css.js';

describe('classic Hosted UI CSS', () => {
  it('accepts the documented classes with their properties and writes the checked tree back', () => {
    const out = checkUiCss(`
      /* brand colours */
      .submitButton-customizable { background-color: #c0392b; color: white; width: 100% }
      .submitButton-customizable:hover { background-color: rgb(146 43 33) }
      .inputField-customizable:focus { border-color: red; outline: 2px solid red }
      .label-customizable { font-weight: 700 }`);
    expect(out).toBe(
      '.submitButton-customizable{background-color:#c0392b;color:white;width:100%}' +
        '.submitButton-customizable:hover{background-color:rgb(146 43 33)}' +
        '.inputField-customizable:focus{border-color:red;outline:2px solid red}' +
        '.label-customizable{font-weight:700}',
    );
    expect(Object.keys(CUSTOMIZABLE)).toContain('passwordCheck-notValid-customizable');
  });

  it.each([
    ['.label-customizable, .x { font-weight: 700 }', /\.x is not a customizable class/],
    ['.label-customizable:hover { font-weight: 700 }', /not a customizable class/],
    ['#id { color: red }', /not a customizable class/],
    ['.legalText-customizable { position: fixed }', /position cannot be set/],
    ['.legalText-customizable { color: expression(alert(1)) }', /not a valid value for color/],
    ['.legalText-customizable { color: red; }}', /could not be parsed/],
    ['@font-face { font-family: x }', /@font-face is not allowed/],
    ['.errorMessage-customizable { background: image-set(url(x.png) 1x) }', /url\(\) is not allowed/],
    [`.legalText-customizable { color: red }${' '.repeat(3 * 1024)}`, /larger than 3072 bytes/],
  ])('refuses %s', (css, message) => {
    expect(() => checkUiCss(css)).toThrow(message);
  });
});
