import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed device-service request, in both directions. */
export const SIGNATURE_HEADER = 'x-support-verify-signature';
export const TIMESTAMP_HEADER = 'x-support-verify-timestamp';
/** How far a signed request's timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256 over `v1:{timestamp}:{body}`, the same scheme Slack uses for its requests. */
export function signBody(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestampSeconds}:${body}`).digest('hex')}`;
}

export type SignatureCheck = 'valid' | 'missing' | 'stale' | 'invalid';

/** Checks a signed body in constant time; a timestamp outside the tolerance is refused before the HMAC. */
export function checkSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
): SignatureCheck {
  if (!headers.timestamp || !headers.signature) return 'missing';
  if (!/^\d{1,12}$/u.test(headers.timestamp)) return 'invalid';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}

/** Keyed hash of an account id: what audit entries and store keys carry instead of the id or email. */
export function keyedAccountHash(key: string, accountId: string): string {
  return createHmac('sha256', key).update(`account:${accountId}`).digest('hex').slice(0, 32);
}
