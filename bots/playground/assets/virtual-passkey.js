// The playground's virtual passkey: a WebAuthn authenticator in this page (WebCrypto P-256, the keys kept in this
// browser's localStorage), so a newcomer without Face ID or Windows Hello at hand still runs the real ceremony:
// the server makes the options and verifies what this answers exactly as it does a phone's. Loaded only by the
// playground's phone; never on a real customer's page.
(() => {
  const STORE = 'support-verify-virtual-passkeys';
  const enc = new TextEncoder();
  const b64url = (bytes) => {
    let binary = '';
    for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const fromB64url = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  const bytes = (source) => new Uint8Array(source instanceof ArrayBuffer ? source : source.buffer);
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const sha256 = async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  const u16 = (n) => new Uint8Array([n >> 8, n & 255]);
  const u32 = (n) => new Uint8Array([n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]);

  // RFC 8949, as much as WebAuthn needs: integers, byte and text strings, maps.
  const cbor = (value) => {
    const head = (major, n) =>
      n < 24
        ? new Uint8Array([(major << 5) | n])
        : n < 256
          ? new Uint8Array([(major << 5) | 24, n])
          : concat(new Uint8Array([(major << 5) | 25]), u16(n));
    if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
    if (value instanceof Uint8Array) return concat(head(2, value.length), value);
    if (typeof value === 'string') {
      const text = enc.encode(value);
      return concat(head(3, text.length), text);
    }
    const entries = [...value.entries()];
    return concat(head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)]));
  };

  // WebCrypto signs ECDSA as r || s; WebAuthn carries it DER-encoded.
  const der = (raw) => {
    const int = (part) => {
      let i = 0;
      while (i < part.length - 1 && part[i] === 0) i++;
      const trimmed = part.slice(i);
      const value = trimmed[0] & 0x80 ? concat(new Uint8Array([0]), trimmed) : trimmed;
      return concat(new Uint8Array([2, value.length]), value);
    };
    const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
    return concat(new Uint8Array([0x30, body.length]), body);
  };

  const saved = () => JSON.parse(localStorage.getItem(STORE) || '[]');
  const save = (list) => localStorage.setItem(STORE, JSON.stringify(list));
  // UP, UV, backup eligible and backed up (a synced passkey), and attested credential data when made.
  const FLAGS = 0x01 | 0x04 | 0x08 | 0x10;

  const clientData = (type, challenge) =>
    enc.encode(
      JSON.stringify({ type, challenge: b64url(bytes(challenge)), origin: location.origin, crossOrigin: false }),
    );

  async function create({ publicKey: options }) {
    const rpId = options.rp.id || location.hostname;
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const id = crypto.getRandomValues(new Uint8Array(16));
    const cose = cbor(
      new Map([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, fromB64url(jwk.x)],
        [-3, fromB64url(jwk.y)],
      ]),
    );
    const authData = concat(
      await sha256(enc.encode(rpId)),
      new Uint8Array([FLAGS | 0x40]),
      u32(0),
      new Uint8Array(16),
      u16(id.length),
      id,
      cose,
    );
    const data = clientData('webauthn.create', options.challenge);
    const attestationObject = cbor(
      new Map([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    save([
      ...saved(),
      {
        id: b64url(id),
        rpId,
        user: b64url(bytes(options.user.id)),
        key: await crypto.subtle.exportKey('jwk', pair.privateKey),
      },
    ]);
    return {
      id: b64url(id),
      rawId: id.buffer,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: data.buffer,
        attestationObject: attestationObject.buffer,
        getTransports: () => ['internal'],
      },
      getClientExtensionResults: () => ({}),
    };
  }

  async function get({ publicKey: options }) {
    const rpId = options.rpId || location.hostname;
    const allowed = (options.allowCredentials || []).map((c) => b64url(bytes(c.id)));
    const credential = saved().find((c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id)));
    // As a real authenticator does: none of the allowed credentials here, so nothing to sign with.
    if (!credential) throw new DOMException('This device holds none of the allowed passkeys.', 'NotAllowedError');
    const key = await crypto.subtle.importKey('jwk', credential.key, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ]);
    const authData = concat(await sha256(enc.encode(rpId)), new Uint8Array([FLAGS]), u32(0));
    const data = clientData('webauthn.get', options.challenge);
    const signed = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, concat(authData, await sha256(data))),
    );
    return {
      id: credential.id,
      rawId: fromB64url(credential.id).buffer,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: data.buffer,
        authenticatorData: authData.buffer,
        signature: der(signed).buffer,
        userHandle: fromB64url(credential.user).buffer,
      },
      getClientExtensionResults: () => ({}),
    };
  }

  window.PublicKeyCredential = window.PublicKeyCredential || function PublicKeyCredential() {};
  Object.defineProperty(navigator, 'credentials', { configurable: true, value: { create, get } });
  document.documentElement.dataset.virtualPasskey = 'on';
})();
