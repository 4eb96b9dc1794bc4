import { createHash } from 'node:crypto';
import { escapeHtml } from '../mail/html.js';

/**
 * The Hosted UI's pages: server-rendered HTML with one small inline stylesheet (allowed by its hash in the CSP, so no
 * other inline style or any script can run). Every value that comes from a request or a stored record goes through
 * escapeHtml. Forms are plain HTML: they work with the keyboard, without JavaScript, with labels, autocomplete hints
 * and an aria-live region that announces errors.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--text:#16202c;--muted:#5b6776;--line:#cfd6df;
--accent:#0b63c5;--accent-text:#fff;--err-bg:#fdecec;--err:#a4161a;--ok-bg:#e8f5ec;--ok:#1d6b34}
@media (prefers-color-scheme:dark){:root{--bg:#10151c;--card:#19212b;--text:#e8edf3;--muted:#9aa7b6;--line:#364353;
--accent:#5aa2ff;--accent-text:#06121f;--err-bg:#3a1517;--err:#ffb3b5;--ok-bg:#12311d;--ok:#9be3b0}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px 16px;
background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:400px;background:var(--card);border:1px solid var(--line);border-radius:12px;
padding:32px 28px;box-shadow:0 8px 24px rgba(16,24,40,.08)}
.brand{margin:0 0 4px;font-size:.85rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:var(--muted)}
h1{margin:0 0 20px;font-size:1.5rem;line-height:1.25}
p{margin:0 0 16px}
.intro{color:var(--muted)}
label{display:block;margin:0 0 6px;font-weight:600;font-size:.95rem}
.field{margin:0 0 16px}
.hint{display:block;margin-top:4px;color:var(--muted);font-size:.85rem;font-weight:400}
input{width:100%;padding:10px 12px;font:inherit;color:inherit;background:transparent;border:1px solid var(--line);
border-radius:8px}
input:focus{outline:3px solid var(--accent);outline-offset:1px;border-color:var(--accent)}
button{width:100%;padding:11px 16px;font:inherit;font-weight:600;border-radius:8px;cursor:pointer;
border:1px solid var(--accent);background:var(--accent);color:var(--accent-text)}
button.secondary{margin-top:10px;background:transparent;color:var(--accent)}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.alert{margin:0 0 16px;padding:10px 12px;border-radius:8px}
.alert:empty{display:none}
.error{background:var(--err-bg);color:var(--err)}
.notice{background:var(--ok-bg);color:var(--ok)}
.links{margin:20px 0 0;padding-top:16px;border-top:1px solid var(--line);font-size:.95rem}
.links p{margin:0 0 6px}
.submitButton-customizable{border-color:transparent}
.banner-customizable{margin:-8px 0 16px;text-align:center}
.logo-customizable{max-width:100%;max-height:120px}
a{color:var(--accent)}
`;

const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/** The CSP source for the stylesheet: its SHA-256, so the page needs no 'unsafe-inline'. */
export const STYLE_HASH = styleHash(STYLE);

/**
 * The pages' Content-Security-Policy: no script at all, styles only by hash (the base stylesheet's and, on a branded
 * page, its branding stylesheet's), images from this host (logos and branding assets) or data: URLs.
 */
export function pageCsp(brandingCss?: string): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}${brandingCss ? ` ${styleHash(brandingCss)}` : ''}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where the layout takes a client's branding: its stylesheet in the head, its logo at the top of the card. */
const LOOK_HEAD = '<!--branding:head-->';
const LOOK_BANNER = '<!--branding:banner-->';

/** A client's branding, as the service built it (checked CSS, a logo URL from the config's URL source). */
export interface Look {
  css: string;
  logoUrl: string | undefined;
}

/**
 * The one branding hook of the layout: fills a page's branding places with the client's stylesheet and logo (or
 * empties them). Every page served by pages/mount.ts goes through it; the reply's CSP must be `pageCsp(look.css)`.
 */
export function applyLook(html: string, look: Look | undefined): string {
  const head = look?.css ? `<style>${look.css}</style>` : '';
  const banner = look?.logoUrl
    ? `<div class="banner-customizable"><img class="logo-customizable" src="${e(look.logoUrl)}" alt="Logo"></div>`
    : '';
  // Replacer functions: the inserted text is taken literally (no `$&` patterns).
  return html.replace(LOOK_HEAD, () => head).replace(LOOK_BANNER, () => banner);
}

const e = escapeHtml;

export interface Field {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'tel' | 'hidden';
  autocomplete?: string;
  value?: string;
  required?: boolean;
  hint?: string;
  inputmode?: 'numeric' | 'email' | 'tel';
  pattern?: string;
  maxlength?: number;
}

export interface FormPage {
  /** The pool's or client's name, shown above the title. */
  brand: string;
  title: string;
  intro?: string;
  /** The form's action, path and query (already built from trusted parts). */
  action: string;
  csrf: string;
  fields: Field[];
  submit: string;
  /** Extra submit buttons: `name=value` tells the handler which one was used. */
  secondary?: { name: string; value: string; label: string }[];
  error?: string | undefined;
  notice?: string | undefined;
  links?: { href: string; text: string; lead?: string }[];
}

function field(f: Field, autofocus: boolean): string {
  if (f.type === 'hidden') return `<input type="hidden" name="${e(f.name)}" value="${e(f.value ?? '')}">`;
  const id = `f-${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const attrs = [
    `id="${id}"`,
    'class="inputField-customizable"',
    `name="${e(f.name)}"`,
    `type="${f.type}"`,
    f.autocomplete ? `autocomplete="${e(f.autocomplete)}"` : '',
    f.value !== undefined && f.type !== 'password' ? `value="${e(f.value)}"` : '',
    f.required === false ? '' : 'required',
    f.inputmode ? `inputmode="${f.inputmode}"` : '',
    f.pattern ? `pattern="${e(f.pattern)}"` : '',
    f.maxlength ? `maxlength="${f.maxlength}"` : '',
    f.hint ? `aria-describedby="${id}-hint"` : '',
    autofocus ? 'autofocus' : '',
  ].filter(Boolean);
  const hint = f.hint ? `<span class="hint" id="${id}-hint">${e(f.hint)}</span>` : '';
  return `<div class="field"><label class="label-customizable" for="${id}">${e(f.label)}</label><input ${attrs.join(' ')}>${hint}</div>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${STYLE}</style>
${LOOK_HEAD}
</head>
<body>
<main class="background-customizable">
${LOOK_BANNER}
${body}
</main>
</body>
</html>
`;
}

/** A page with one form. The first empty visible field gets the focus; errors are announced (aria-live). */
export function renderForm(p: FormPage): string {
  const visible = p.fields.filter((f) => f.type !== 'hidden');
  const focusOn = p.error ? visible.find((f) => f.type === 'password' || f.name === 'code') : undefined;
  const first = focusOn ?? visible.find((f) => !f.value) ?? visible[0];
  const fields = p.fields.map((f) => field(f, f === first)).join('\n');
  const secondary = (p.secondary ?? [])
    .map(
      (b) =>
        `<button type="submit" class="secondary" name="${e(b.name)}" value="${e(b.value)}" formnovalidate>${e(b.label)}</button>`,
    )
    .join('\n');
  const links = p.links?.length
    ? `<div class="links redirect-customizable">${p.links
        .map((l) => `<p>${l.lead ? `${e(l.lead)} ` : ''}<a href="${e(l.href)}">${e(l.text)}</a></p>`)
        .join('')}</div>`
    : '';
  return layout(
    `${p.title} · ${p.brand}`,
    `<p class="brand">${e(p.brand)}</p>
<h1>${e(p.title)}</h1>
${p.intro ? `<p class="intro textDescription-customizable">${e(p.intro)}</p>` : ''}
<div class="alert notice" role="status">${p.notice ? e(p.notice) : ''}</div>
<div class="alert error errorMessage-customizable" role="alert" aria-live="assertive">${p.error ? e(p.error) : ''}</div>
<form method="post" action="${e(p.action)}">
<input type="hidden" name="_csrf" value="${e(p.csrf)}">
${fields}
<button type="submit" class="submitButton-customizable">${e(p.submit)}</button>
${secondary}
</form>
${links}`,
  );
}

/** An error page: for requests that must not be redirected (bad client, unregistered redirect URI). */
export function renderErrorPage(title: string, message: string): string {
  // Unbranded: these pages answer requests whose client may be unknown.
  return applyLook(
    layout(
      title,
      `<p class="brand">Sign-in</p>
<h1>${e(title)}</h1>
<div class="alert error" role="alert">${e(message)}</div>
<p class="intro">Go back to the application and start signing in again. If this keeps happening, its sign-in
settings (app client and callback URLs) need attention.</p>`,
    ),
    undefined,
  );
}
