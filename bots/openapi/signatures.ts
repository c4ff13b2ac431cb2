import {
  MAX_SIGNATURES,
  MAX_WEBHOOK_ID_LENGTH,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  TIMESTAMP_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../../core/signing.ts';
import type { OpenApiObject } from './json-schema.ts';

// Every signed request (device prompts and answers, security alerts) is described from here alone, so a change
// of signing scheme changes the contract in one place.

const minutes = SIGNATURE_TOLERANCE_SECONDS / 60;
const scheme = (secrets: string) =>
  `[Standard Webhooks](https://www.standardwebhooks.com/): \`${WEBHOOK_SIGNATURE_HEADER}\` holds one ` +
  `\`v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>\` per secret of \`${secrets}\` ` +
  '(each `whsec_` + the base64 of the key), space-separated, so a secret rotates without downtime; ' +
  `\`${WEBHOOK_ID_HEADER}\` names the message (the same on each retry), \`${WEBHOOK_TIMESTAMP_HEADER}\` is Unix ` +
  `seconds no more than ${minutes} minutes from the receiver's clock either way.`;
const legacy = (secret: string) =>
  `Deprecated, for this release only: \`v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + body)>\` with ` +
  `\`${secret}\` (or the first key), beside \`${TIMESTAMP_HEADER}\`.`;

/**
 * The headers of one signed request, as operation parameters. Sent by this server, both the Standard Webhooks
 * headers and the deprecated ones are always there; received, either set will do.
 */
export function signatureHeaders(
  secrets: string,
  legacySecret: string,
  direction: 'sent' | 'received',
): OpenApiObject[] {
  const standard = direction === 'sent';
  const header = (name: string, description: string, schema: OpenApiObject, deprecated = false) => ({
    name,
    in: 'header',
    required: standard,
    ...(deprecated ? { deprecated: true } : {}),
    description:
      standard || deprecated ? description : `${description} Required unless the deprecated headers are sent.`,
    schema,
  });
  return [
    header(WEBHOOK_ID_HEADER, 'The message id, part of the signed text: drop a repeat by it.', {
      type: 'string',
      maxLength: MAX_WEBHOOK_ID_LENGTH,
      pattern: '^[!-~]+$',
    }),
    header(WEBHOOK_TIMESTAMP_HEADER, 'Unix seconds when the request was signed; part of the signed text.', {
      type: 'string',
      pattern: '^[0-9]{1,12}$',
    }),
    header(WEBHOOK_SIGNATURE_HEADER, scheme(secrets), {
      type: 'string',
      maxLength: MAX_SIGNATURES * 48,
      pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$',
    }),
    header(
      TIMESTAMP_HEADER,
      `${legacy(legacySecret)} Unix seconds.`,
      { type: 'string', pattern: '^[0-9]{1,12}$' },
      true,
    ),
    header(SIGNATURE_HEADER, legacy(legacySecret), { type: 'string', pattern: '^v1=[0-9a-f]{64}$' }, true),
  ].map((parameter) =>
    direction === 'received' && parameter.deprecated ? { ...parameter, required: false } : parameter,
  );
}

/** The security schemes of the signed requests: one per list of secrets. */
export const SIGNATURE_SCHEMES = {
  deviceSignature: {
    type: 'apiKey',
    in: 'header',
    name: WEBHOOK_SIGNATURE_HEADER,
    description: `Device prompts (sent) and device answers (received). ${scheme('DEVICE_WEBHOOK_SECRETS')}`,
  },
  securityAlertSignature: {
    type: 'apiKey',
    in: 'header',
    name: WEBHOOK_SIGNATURE_HEADER,
    description: `Security alerts (sent). ${scheme('SECURITY_WEBHOOK_SECRETS')}`,
  },
} as const satisfies Record<string, OpenApiObject>;
