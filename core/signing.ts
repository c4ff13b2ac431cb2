import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks in both directions (device prompts and security alerts out, device answers in), in the
 * Standard Webhooks format (https://www.standardwebhooks.com/): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature`, HMAC-SHA256 over `{id}.{timestamp}.{body}`, each signature `v1,<base64>`, several
 * space-separated so that a secret can be rotated without downtime.
 */
export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * The headers of the scheme before Standard Webhooks (`v1=` + hex HMAC-SHA256 over `v1:{timestamp}:{body}`).
 * Deprecated: still sent beside the new headers and still accepted, for one release.
 */
export const SIGNATURE_HEADER = 'x-support-verify-signature';
export const TIMESTAMP_HEADER = 'x-support-verify-timestamp';

/** How far a signed request's timestamp may be from now, either way (the 5 minutes Standard Webhooks suggests). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Standard Webhooks: a symmetric secret is at least 24 random bytes (and at most 64), as `whsec_` + base64. */
export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
/** Secrets one variable may hold: the current ones and those being rotated out. */
export const MAX_SECRETS = 8;

/** Bounds on what a sender may put in the headers; past them a request is refused before any HMAC. */
export const MAX_WEBHOOK_ID_LENGTH = 256;
export const MAX_SIGNATURES = 16;
export const MAX_SIGNATURE_HEADER_LENGTH = MAX_SIGNATURES * 48;

/** The keys of one webhook: every key signs what is sent, and any of them verifies what is received. */
export interface WebhookKeys {
  /** Each `whsec_` secret's bytes in the order given, then the deprecated raw secret's bytes when it is set. */
  readonly all: readonly Buffer[];
  /** What signs the deprecated headers: the raw secret when it is set, otherwise the first key. */
  readonly legacy: Buffer;
}

/** The key of one `whsec_` secret, or undefined when it is not `whsec_` + canonical base64 of 24–64 bytes. */
export function decodeSecret(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length > SECRET_PREFIX.length + 100) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, 'base64');
  // Buffer's decoder skips what it cannot read; only an exact round trip is a well-formed secret.
  if (key.toString('base64') !== encoded) return undefined;
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : undefined;
}

/** The keys of a list of `whsec_` secrets separated by commas or white space; undefined if any is malformed. */
export function parseSecrets(value: string): Buffer[] | undefined {
  if (value.length > MAX_SECRETS * (SECRET_PREFIX.length + 100)) return undefined;
  const entries = value.split(/[\s,]/u).filter((entry) => entry !== '');
  if (entries.length === 0 || entries.length > MAX_SECRETS) return undefined;
  const keys: Buffer[] = [];
  for (const entry of entries) {
    const key = decodeSecret(entry);
    if (!key) return undefined;
    keys.push(key);
  }
  return keys;
}

/** `whsec_` secrets (already checked by {@link parseSecrets}) and the deprecated raw secret, as one key set. */
export function webhookKeys(secrets: readonly Buffer[], legacySecret?: string): WebhookKeys {
  const legacy = legacySecret === undefined ? undefined : Buffer.from(legacySecret, 'utf8');
  const all = [...secrets, ...(legacy ? [legacy] : [])];
  const first = legacy ?? all[0];
  if (!first) throw new Error('a webhook needs at least one secret');
  return { all, legacy: first };
}

/** A new `webhook-id`: unique per message, kept on each retry of it, and without a `.` (the spec forbids one). */
export function newWebhookId(): string {
  return `msg_${randomUUID()}`;
}

/** One Standard Webhooks signature: `v1,` + base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`. */
export function standardSignature(key: Uint8Array, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * Every signature header of one attempt: the Standard Webhooks headers with one signature per key, and the
 * deprecated headers signed with {@link WebhookKeys.legacy} for receivers not yet migrated.
 */
export function signedHeaders(
  keys: WebhookKeys,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
    [WEBHOOK_SIGNATURE_HEADER]: keys.all.map((key) => standardSignature(key, id, timestampSeconds, body)).join(' '),
    [TIMESTAMP_HEADER]: String(timestampSeconds),
    [SIGNATURE_HEADER]: signBody(keys.legacy, timestampSeconds, body),
  };
}

/** The deprecated scheme: `v1=` + hex HMAC-SHA256 over `v1:{timestamp}:{body}`. */
export function signBody(secret: string | Uint8Array, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestampSeconds}:${body}`).digest('hex')}`;
}

export type SignatureCheck = 'valid' | 'missing' | 'stale' | 'invalid';

/** Checks a body signed in the deprecated scheme in constant time; a timestamp outside the tolerance is refused first. */
export function checkSignature(
  secret: string | Uint8Array,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
): SignatureCheck {
  if (!headers.timestamp || !headers.signature) return 'missing';
  const timestamp = timestampOf(headers.timestamp);
  if (timestamp === undefined) return 'invalid';
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

/** The signature headers of a received request, as given (undefined where absent). */
export interface ReceivedSignature {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  legacyTimestamp: string | undefined;
  legacySignature: string | undefined;
}

export type WebhookVerification =
  | { check: 'valid'; scheme: 'standard' | 'legacy'; replayKey: string }
  | { check: Exclude<SignatureCheck, 'valid'>; scheme: 'standard' | 'legacy' };

/**
 * Verifies a received webhook against every key: the Standard Webhooks headers when `webhook-signature` is
 * present, otherwise the deprecated ones. The work is bounded whatever the sender sends: the headers' sizes
 * and shapes are checked before any HMAC, there is one HMAC per key, and at most {@link MAX_SIGNATURES}
 * constant-time comparisons per key. `replayKey` is what identifies this message once verified: the
 * `webhook-id` (signed, so it cannot be forged), or for the deprecated scheme the signature itself.
 */
export function verifyWebhook(
  keys: WebhookKeys,
  received: ReceivedSignature,
  body: string,
  nowMs: number,
): WebhookVerification {
  if (received.signature === undefined) {
    // `v1=` and 64 hex digits: anything longer is refused before any HMAC.
    if ((received.legacySignature?.length ?? 0) > 67) return { check: 'invalid', scheme: 'legacy' };
    let check: SignatureCheck = 'missing';
    for (const key of keys.all) {
      check = checkSignature(
        key,
        { timestamp: received.legacyTimestamp, signature: received.legacySignature },
        body,
        nowMs,
      );
      if (check !== 'invalid') break;
    }
    return check === 'valid'
      ? { check, scheme: 'legacy', replayKey: `legacy:${received.legacySignature}` }
      : { check, scheme: 'legacy' };
  }
  const { id, timestamp: stamp, signature } = received;
  if (!id || !stamp || !signature) return { check: 'missing', scheme: 'standard' };
  const timestamp = timestampOf(stamp);
  if (
    id.length > MAX_WEBHOOK_ID_LENGTH ||
    !/^[\x21-\x2d\x2f-\x7e]+$/u.test(id) ||
    timestamp === undefined ||
    signature.length > MAX_SIGNATURE_HEADER_LENGTH
  )
    return { check: 'invalid', scheme: 'standard' };
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { check: 'stale', scheme: 'standard' };
  const given = signature
    .split(' ')
    .slice(0, MAX_SIGNATURES)
    .filter((entry) => /^v1,[A-Za-z0-9+/]{43}=$/u.test(entry))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const key of keys.all) {
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
    if (given.some((candidate) => timingSafeEqual(candidate, expected)))
      return { check: 'valid', scheme: 'standard', replayKey: `id:${id}` };
  }
  return { check: 'invalid', scheme: 'standard' };
}

/** Unix seconds, written as at most 12 digits; anything else is not a timestamp. */
function timestampOf(value: string): number | undefined {
  return /^\d{1,12}$/u.test(value) ? Number(value) : undefined;
}

/** Keyed hash of an account id: what audit entries and store keys carry instead of the id or email. */
export function keyedAccountHash(key: string, accountId: string): string {
  return createHmac('sha256', key).update(`account:${accountId}`).digest('hex').slice(0, 32);
}
