import { describe, expect, it } from 'vitest';
import { renderErrorPage, renderForm } from '../../src/services/cognito-idp/hosted-ui/render.js';

/** Breaks out of an attribute or element if it is not escaped; its escaped form, written out by hand. */
const EVIL = `"'><script>alert(1)</script><i onclick='x'>&`;
const ESCAPED = '&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;i onclick=&#39;x&#39;&gt;&amp;';

const expectInert = (html: string) => {
  expect(html).not.toContain(EVIL);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<i[\s>]/);
  expect(html).not.toMatch(/\son[a-z]+=["']/i);
};

/**
 * The Hosted UI's renderers take values from requests (usernames, posted fields, error messages) and from stored
 * records an API caller controls (ClientName, pool name): every one must come out as text.
 */
describe('Hosted UI page rendering', () => {
  it('escapes every string a form page is given, in text and in attributes', () => {
    const html = renderForm({
      brand: `brand${EVIL}`,
      title: `title${EVIL}`,
      intro: `intro${EVIL}`,
      action: `/login?x=${EVIL}`,
      csrf: `csrf${EVIL}`,
      fields: [
        {
          name: 'username',
          label: `label${EVIL}`,
          type: 'text',
          autocomplete: `ac${EVIL}`,
          value: `value${EVIL}`,
          hint: `hint${EVIL}`,
          pattern: `pattern${EVIL}`,
          maxlength: 10,
        },
        { name: 'hidden', label: 'Hidden', type: 'hidden', value: `hidden${EVIL}` },
        { name: 'password', label: 'Password', type: 'password', value: `secret${EVIL}` },
      ],
      submit: `submit${EVIL}`,
      secondary: [{ name: `n${EVIL}`, value: `v${EVIL}`, label: `resend${EVIL}` }],
      error: `error${EVIL}`,
      notice: `notice${EVIL}`,
      links: [{ href: `/signup?x=${EVIL}`, text: `link${EVIL}`, lead: `lead${EVIL}` }],
    });
    expectInert(html);
    for (const part of [
      `<title>title${ESCAPED} · brand${ESCAPED}</title>`,
      `<p class="brand">brand${ESCAPED}</p>`,
      `<h1>title${ESCAPED}</h1>`,
      `<p class="intro textDescription-customizable">intro${ESCAPED}</p>`,
      `<form method="post" action="/login?x=${ESCAPED}">`,
      `<input type="hidden" name="_csrf" value="csrf${ESCAPED}">`,
      `<label class="label-customizable" for="f-username">label${ESCAPED}</label>`,
      `autocomplete="ac${ESCAPED}"`,
      `value="value${ESCAPED}"`,
      `pattern="pattern${ESCAPED}"`,
      `<span class="hint" id="f-username-hint">hint${ESCAPED}</span>`,
      `<input type="hidden" name="hidden" value="hidden${ESCAPED}">`,
      `<button type="submit" class="submitButton-customizable">submit${ESCAPED}</button>`,
      `name="n${ESCAPED}" value="v${ESCAPED}" formnovalidate>resend${ESCAPED}</button>`,
      `role="alert" aria-live="assertive">error${ESCAPED}</div>`,
      `role="status">notice${ESCAPED}</div>`,
      `<p>lead${ESCAPED} <a href="/signup?x=${ESCAPED}">link${ESCAPED}</a></p>`,
    ]) {
      expect(html).toContain(part);
    }
    // A password is never written back into the page, escaped or not.
    expect(html).not.toContain('secret');
  });

  it('escapes the error page’s title and message', () => {
    const error = renderErrorPage(`title${EVIL}`, `message${EVIL}`);
    expectInert(error);
    expect(error).toContain(`<title>title${ESCAPED}</title>`);
    expect(error).toContain(`<h1>title${ESCAPED}</h1>`);
    expect(error).toContain(`<div class="alert error" role="alert">message${ESCAPED}</div>`);
  });
});
