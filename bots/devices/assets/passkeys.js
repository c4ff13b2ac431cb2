// WebAuthn's JSON forms in both directions (base64url for every byte string), for browsers without
// PublicKeyCredential.parseCreationOptionsFromJSON / toJSON.
(() => {
  const toBytes = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const descriptors = (list) => (list || []).map((c) => ({ ...c, id: toBytes(c.id) }));

  window.SupportVerifyPasskeys = {
    bytes: toBytes,
    creationOptions(json) {
      return {
        ...json,
        challenge: toBytes(json.challenge),
        user: { ...json.user, id: toBytes(json.user.id) },
        excludeCredentials: descriptors(json.excludeCredentials),
      };
    },
    requestOptions(json) {
      return { ...json, challenge: toBytes(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
    },
    registrationJson(credential) {
      const r = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toText(r.clientDataJSON),
          attestationObject: toText(r.attestationObject),
          transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
        },
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
      };
    },
    assertionJson(credential) {
      const r = credential.response;
      return {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toText(r.clientDataJSON),
          authenticatorData: toText(r.authenticatorData),
          signature: toText(r.signature),
          ...(r.userHandle ? { userHandle: toText(r.userHandle) } : {}),
        },
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: credential.getClientExtensionResults(),
      };
    },
    /** The token a page's link carries in its fragment, taken out of the address bar (and its history). */
    takeToken() {
      const params = new URLSearchParams(location.hash.slice(1));
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
      return params;
    },
    async api(token, method, path, body) {
      const response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
      return { status: response.status, ok: response.ok, data };
    },
  };
})();
