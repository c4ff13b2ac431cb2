import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../core/signing.ts';

/** Headers and body of a device-service answer, signed as a real device service signs it. */
export function signedDeviceAnswer(
  secret: string,
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

/** Headers that sign `body` exactly as given, for bodies that are not valid JSON or not an object. */
export function signRawBody(
  secret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: String(timestampSeconds),
    [SIGNATURE_HEADER]: signBody(secret, timestampSeconds, body),
  };
}
