import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../core/signing.ts';

/**
 * Signing as a device service (or any receiver) does it, with the `standardwebhooks` reference library, not with
 * our own code: a `whsec_` secret as the library reads it, or a raw secret (the deprecated DEVICE_WEBHOOK_SECRET)
 * in the library's raw format.
 */
export function libraryWebhook(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
}

/** A new secret in the Standard Webhooks form: `whsec_` and the base64 of 32 random bytes. */
export function newWhsecSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SigningOptions {
  timestampSeconds?: number;
  now?: number;
  /** The `webhook-id`; a new one by default. */
  id?: string;
}

/** Standard Webhooks headers for `body`, one signature per secret (space-separated), made by the library. */
export function signRawBody(
  secret: string | readonly string[],
  body: string,
  options: SigningOptions | number = {},
): Record<string, string> {
  const { timestampSeconds, now, id } = typeof options === 'number' ? { timestampSeconds: options } : options;
  const timestamp = timestampSeconds ?? Math.floor((now ?? Date.now()) / 1000);
  const msgId = id ?? `msg_${randomUUID()}`;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => libraryWebhook(s).sign(msgId, new Date(timestamp * 1000), body)).join(' '),
  };
}

/** Headers and body of a device-service answer, signed as a device service using the library signs it. */
export function signedDeviceAnswer(
  secret: string | readonly string[],
  answer: Record<string, unknown>,
  options: SigningOptions = {},
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(answer);
  return { body, headers: signRawBody(secret, body, options) };
}

/** An answer signed in the deprecated scheme (`x-support-verify-*` headers), as device services not yet migrated do. */
export function legacySignedDeviceAnswer(
  secret: string | Uint8Array,
  answer: Record<string, unknown>,
  options: { timestampSeconds?: number; now?: number } = {},
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(answer);
  const timestamp = options.timestampSeconds ?? Math.floor((options.now ?? Date.now()) / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
    },
  };
}

/**
 * What a receiver written against the `standardwebhooks` library makes of a request we sent: the parsed body
 * when `new Webhook(secret).verify(body, headers)` accepts it; it throws otherwise.
 */
export function verifyWithLibrary(secret: string, sent: { headers: IncomingHttpHeaders; body: string }): unknown {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return libraryWebhook(secret).verify(sent.body, headers);
}
