import { createHash } from 'node:crypto';
import { escapeHtml } from '../../mail/html.js';

/**
 * The one page script of the Hosted UI: on a passkey page it turns the form's main submit into a WebAuthn ceremony.
 * The options come from the `#webauthn` element's `data-options` (JSON, the WebAuthn options with base64url
 * buffers, as @simplewebauthn/server writes them); `data-mode` is `get` (sign-in, the WEB_AUTHN challenge's
 * CREDENTIAL_REQUEST_OPTIONS) or `create` (registration, StartWebAuthnRegistration's options). The credential goes
 * back as JSON in the form's `credential` field, in the shape @simplewebauthn/server verifies. Other submit buttons
 * (a named `submitter`: "Not now", another factor) post as usual. It starts once the form is parsed (the
 * block stands above the form). It is a fixed text, allowed by its hash in the CSP
 * (see {@link WEBAUTHN_SCRIPT_HASH}), so no inline script of any other content can run.
 * @see https://www.w3.org/TR/webauthn-3/#sctn-api
 */
export const WEBAUTHN_SCRIPT = `(function () {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
  function start() {
  var box = document.getElementById('webauthn');
  var form = document.querySelector('form');
  if (!box || !form) return;
  var failure = document.querySelector('.alert.error');
  function dec(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var b = atob(s), u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
    return u.buffer;
  }
  function enc(buf) {
    var u = new Uint8Array(buf), s = '';
    for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function asJson(c) {
    var r = c.response;
    var out = { id: c.id, rawId: enc(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: enc(r.clientDataJSON) } };
    if (c.authenticatorAttachment) out.authenticatorAttachment = c.authenticatorAttachment;
    if (r.attestationObject) {
      out.response.attestationObject = enc(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = enc(r.authenticatorData);
      out.response.signature = enc(r.signature);
      if (r.userHandle) out.response.userHandle = enc(r.userHandle);
    }
    return out;
  }
  form.addEventListener('submit', function (ev) {
    if (ev.submitter && ev.submitter.name) return;
    ev.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      failure.textContent = 'This browser cannot use passkeys.';
      return;
    }
    var o = JSON.parse(box.getAttribute('data-options'));
    o.challenge = dec(o.challenge);
    var ask;
    if (box.getAttribute('data-mode') === 'create') {
      o.user.id = dec(o.user.id);
      (o.excludeCredentials || []).forEach(function (c) { c.id = dec(c.id); });
      ask = navigator.credentials.create({ publicKey: o });
    } else {
      (o.allowCredentials || []).forEach(function (c) { c.id = dec(c.id); });
      ask = navigator.credentials.get({ publicKey: o });
    }
    ask.then(function (c) {
      form.querySelector('input[name="credential"]').value = JSON.stringify(asJson(c));
      form.submit();
    }, function () {
      failure.textContent = 'The passkey request was cancelled or did not succeed. Try again, or choose another way.';
    });
  });
  }
})();`;

/** The CSP source for {@link WEBAUTHN_SCRIPT}: its SHA-256, so no 'unsafe-inline' is needed. */
export const WEBAUTHN_SCRIPT_HASH = `'sha256-${createHash('sha256').update(WEBAUTHN_SCRIPT).digest('base64')}'`;

/** The passkey request of a page: its options (escaped into an attribute) and the script that uses them. */
export function webauthnBlock(mode: 'get' | 'create', optionsJson: string): string {
  return `<div id="webauthn" data-mode="${mode}" data-options="${escapeHtml(optionsJson)}" hidden></div>
<script>${WEBAUTHN_SCRIPT}</script>`;
}
