import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, TIMESTAMP_HEADER } from '../../core/signing.ts';
import type { OpenApiObject } from './json-schema.ts';

// Every signed request (device prompts and answers, security alerts) is described from here alone, so a change
// of signing scheme changes the contract in one place.

const scheme = (secret: string) =>
  `HMAC-SHA256 with \`${secret}\`: \`${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + body)>\`` +
  ` over the exact body bytes, with \`${TIMESTAMP_HEADER}\` (Unix seconds) no more than ` +
  `${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from the receiver's clock either way.`;

/** The headers of one signed request, as operation parameters. */
export function signatureHeaders(secret: string): OpenApiObject[] {
  return [
    {
      name: TIMESTAMP_HEADER,
      in: 'header',
      required: true,
      description: `Unix seconds when the request was signed; part of the signed text. Refused when more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes away.`,
      schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
    },
    {
      name: SIGNATURE_HEADER,
      in: 'header',
      required: true,
      description: scheme(secret),
      schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' },
    },
  ];
}

/** The security schemes of the signed requests: one per secret. */
export const SIGNATURE_SCHEMES = {
  deviceSignature: {
    type: 'apiKey',
    in: 'header',
    name: SIGNATURE_HEADER,
    description: `Device prompts (sent) and device answers (received). ${scheme('DEVICE_WEBHOOK_SECRET')}`,
  },
  securityAlertSignature: {
    type: 'apiKey',
    in: 'header',
    name: SIGNATURE_HEADER,
    description: `Security alerts (sent). ${scheme('SECURITY_WEBHOOK_SECRET')}`,
  },
} as const satisfies Record<string, OpenApiObject>;
