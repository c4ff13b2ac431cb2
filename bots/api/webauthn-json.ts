/** A base64url string of at most `max` characters: every byte string of WebAuthn's JSON forms. */
export const b64url = (max: number) =>
  ({ type: 'string', minLength: 1, maxLength: max, pattern: '^[A-Za-z0-9_-]+$' }) as const;

/**
 * A browser's `PublicKeyCredential.toJSON()`, bounded: the envelope both ceremonies share, around the `response`
 * each has of its own. Unknown members the browser adds are let through (and ignored); nothing is unbounded.
 */
export function credentialSchema<R extends { required: readonly string[]; properties: Record<string, unknown> }>(
  response: R,
) {
  return {
    type: 'object',
    required: ['id', 'rawId', 'type', 'response'],
    properties: {
      id: b64url(1024),
      rawId: b64url(1024),
      type: { const: 'public-key' },
      response: { type: 'object', ...response },
      authenticatorAttachment: { type: 'string', maxLength: 32 },
      clientExtensionResults: { type: 'object' },
    },
  } as const;
}
